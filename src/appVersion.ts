import { version } from '../package.json';

/** The app's version (package.json), written into every saved model's metadata. */
export const APP_VERSION: string = version;
