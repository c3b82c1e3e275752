import { DatasetPanel } from './DatasetPanel';

export function App() {
  return (
    <main className="app">
      <header className="app-header">
        <h1>Sentiment Lab</h1>
        <p>
          Train an <code>Embedding → LSTM(128) → Dense(sigmoid)</code> sentiment model on 50,000 IMDB reviews, in your
          browser, on your GPU.
        </p>
      </header>
      <DatasetPanel />
    </main>
  );
}
