import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';

/**
 * The shader programs of the fused LSTM. All of them work on tfjs's packed textures: a packed
 * `[rows, cols]` tensor stores the 2×2 block (2r..2r+1, 2c..2c+1) in the RGBA texel (c, r), with
 * components x = (2r, 2c), y = (2r, 2c+1), z = (2r+1, 2c), w = (2r+1, 2c+1).
 *
 * The inner loops (the `h·U` and `dz·Uᵀ` products) read texels directly with `texelFetch`: on
 * software WebGL the texture reads dominate, and tfjs's generic sampling adds index arithmetic to
 * every read. The callers check that those inputs have the plain 2-D layout this assumes.
 *
 * Gate order and formulas are Keras's: z = x·W + h·U + b split into i, f, g, o;
 * c = σ(f)·c' + σ(i)·tanh(g); h = σ(o)·tanh(c).
 *
 * Layouts, with B the batch and H the units (H even, so no 2×2 block straddles two gates):
 * - `projected` `[L, B, 4H]`: x·W for every timestep, time-major.
 * - `gates` `[B, 4H]`: the activated gates of one timestep, columns i | f | g | o.
 * - `state` `[B, 2H]`: columns c | h of one timestep; a training step's record `[B, 6H]` starts
 *   with the same columns and goes on with its activated gates i | f | g | o.
 * - `cellGrad` `[B, 5H]`: columns dz_i | dz_f | dz_g | dz_o (gradients of the pre-activations) | dc'.
 */

/** Keeps tanh finite for large inputs (GLSL's tanh is exp-based and overflows to NaN on some drivers). */
const ACTIVATIONS = `
vec4 sigmoid4(vec4 x) { return 1.0 / (1.0 + exp(-x)); }
vec4 tanh4(vec4 x) {
  vec4 e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
`;

/** Activated gates of timestep `t`: σ/tanh(projected[t] + bias + h(t−1)·U). One dispatch. */
export function gatesProgram(batch: number, units: number): GPGPUProgram {
  const half = units / 2;
  return {
    variableNames: ['projected', 'bias', 'state', 'recurrentT'],
    outputShape: [batch, 4 * units],
    packedInputs: true,
    packedOutput: true,
    customUniforms: [{ name: 'step', type: 'int' }],
    userCode: `${ACTIVATIONS}
void main() {
  ivec2 rc = getOutputCoords();
  int row = rc.x / 2;
  int col = rc.y / 2;
  vec4 z = getProjected(step, rc.x, rc.y) + getBias(0, rc.y).xyxy;
  for (int k = 0; k < ${half}; k++) {
    vec4 h = texelFetch(state, ivec2(k + ${half}, row), 0);
    vec4 u = texelFetch(recurrentT, ivec2(k, col), 0);
    z += h.xxzz * u.xzxz + h.yyww * u.ywyw;
  }
  setOutput(rc.y / ${units} == 2 ? tanh4(z) : sigmoid4(z));
}`,
  };
}

/**
 * The new state from the activated gates and the previous state, written as the step's record
 * (c | h | i | f | g | o): the next step reads h from it and the backward pass everything, so the
 * forward pass keeps one tensor per timestep (tfjs clones each tensor a backward pass keeps, one
 * more kernel each). One dispatch.
 */
export function cellProgram(batch: number, units: number): GPGPUProgram {
  return {
    variableNames: ['gates', 'previous'],
    outputShape: [batch, 6 * units],
    packedInputs: true,
    packedOutput: true,
    userCode: `${ACTIVATIONS}
void main() {
  ivec2 rc = getOutputCoords();
  if (rc.y >= ${2 * units}) {
    setOutput(getGates(rc.x, rc.y - ${2 * units}));
    return;
  }
  bool isH = rc.y >= ${units};
  int u = isH ? rc.y - ${units} : rc.y;
  vec4 i = getGates(rc.x, u);
  vec4 f = getGates(rc.x, u + ${units});
  vec4 g = getGates(rc.x, u + ${2 * units});
  vec4 c = f * getPrevious(rc.x, u) + i * g;
  setOutput(isH ? getGates(rc.x, u + ${3 * units}) * tanh4(c) : c);
}`,
  };
}

/**
 * Backward through one cell: from dh(t) and dc(t+1)'s share, the gradients of the four gate
 * pre-activations and the share of dc that flows to c(t−1). `record` is the step's record (see
 * cellProgram), `previous` the record (or initial state) before it. One dispatch.
 */
export function cellBackwardProgram(batch: number, units: number): GPGPUProgram {
  return {
    variableNames: ['record', 'previous', 'dh', 'next'],
    outputShape: [batch, 5 * units],
    packedInputs: true,
    packedOutput: true,
    userCode: `${ACTIVATIONS}
void main() {
  ivec2 rc = getOutputCoords();
  int region = rc.y / ${units};
  int u = rc.y - region * ${units};
  vec4 i = getRecord(rc.x, u + ${2 * units});
  vec4 f = getRecord(rc.x, u + ${3 * units});
  vec4 g = getRecord(rc.x, u + ${4 * units});
  vec4 o = getRecord(rc.x, u + ${5 * units});
  vec4 tc = tanh4(getRecord(rc.x, u));
  vec4 dh = getDh(rc.x, u);
  vec4 dc = getNext(rc.x, u + ${4 * units}) + dh * o * (1.0 - tc * tc);
  vec4 result;
  if (region == 0) result = dc * g * i * (1.0 - i);
  else if (region == 1) result = dc * getPrevious(rc.x, u) * f * (1.0 - f);
  else if (region == 2) result = dc * i * (1.0 - g * g);
  else if (region == 3) result = dh * tc * o * (1.0 - o);
  else result = dc * f;
  setOutput(result);
}`,
  };
}

/** dh(t−1) = dz(t)·Uᵀ, reading dz from the first 4H columns of the cell gradient. One dispatch. */
export function recurrentBackwardProgram(batch: number, units: number): GPGPUProgram {
  return {
    variableNames: ['cellGrad', 'recurrent'],
    outputShape: [batch, units],
    packedInputs: true,
    packedOutput: true,
    userCode: `
void main() {
  ivec2 rc = getOutputCoords();
  int row = rc.x / 2;
  int col = rc.y / 2;
  vec4 r = vec4(0.0);
  for (int m = 0; m < ${2 * units}; m++) {
    vec4 d = texelFetch(cellGrad, ivec2(m, row), 0);
    vec4 u = texelFetch(recurrent, ivec2(m, col), 0);
    r += d.xxzz * u.xzxz + d.yyww * u.ywyw;
  }
  setOutput(r);
}`,
  };
}

/** A copy in tfjs's packed layout (tfjs packs the input first if it is not), for the direct reads. */
export function packedCopyProgram(shape: readonly [number, number]): GPGPUProgram {
  return {
    variableNames: ['source'],
    outputShape: [...shape],
    packedInputs: true,
    packedOutput: true,
    userCode: `
void main() {
  ivec2 rc = getOutputCoords();
  setOutput(getSource(rc.x, rc.y));
}`,
  };
}

/**
 * Stacks up to one chunk of per-timestep tensors (`part0`…, each `[B, W]`, B even) into one,
 * keeping `columns` columns from `columnFrom` (even): rows stacked `[n·B, columns]`, or transposed
 * `[columns, n·B]` so that a later reduction over the stacked rows reads along texture rows. tfjs's
 * `concat` of that many tensors unpacks and concatenates in rounds (slow: see docs/fused-engine.md);
 * this is one pass that reads each texel once.
 */
export function stackProgram(
  parts: number,
  batch: number,
  columnFrom: number,
  columns: number,
  transposed: boolean,
): GPGPUProgram {
  const names = Array.from({ length: parts }, (_, i) => `part${i}`);
  const select = names.map((name, i) => `  if (s == ${i}) return texelFetch(${name}, texel, 0);`).join('\n');
  // Output texel at (rows r, r+1; cols c, c+1): the stacked rows are r or c, the kept columns the other.
  const locate = transposed ? 'int stacked = rc.y; int column = rc.x;' : 'int stacked = rc.x; int column = rc.y;';
  return {
    variableNames: names,
    outputShape: transposed ? [columns, parts * batch] : [parts * batch, columns],
    packedInputs: true,
    packedOutput: true,
    userCode: `
vec4 partTexel(int s, ivec2 texel) {
${select}
  return vec4(0.0);
}
void main() {
  ivec2 rc = getOutputCoords();
  ${locate}
  int s = stacked / ${batch};
  vec4 v = partTexel(s, ivec2((${columnFrom} + column) / 2, (stacked - s * ${batch}) / 2));
  setOutput(${transposed ? 'v.xzyw' : 'v'});
}`,
  };
}

/**
 * The recurrent kernel's and the bias's gradients over a group of time chunks, added to `sums`
 * `[H+2, 4H]`: rows 0…H−1 get Σ h(t−1)ᵀ·dz(t), row H gets Σ dz(t) (the bias gradient; row H+1
 * stays zero). Inputs per chunk, transposed by `stackProgram` so both reads run along texture rows
 * (reading down the columns of untransposed stacks was 3× slower here): `h{c}` `[H, R]` the states
 * before each step, `dz{c}` `[4H, R]` the gate gradients, R = the chunk's steps × B.
 */
export function weightGradProgram(chunkRows: readonly number[], units: number): GPGPUProgram {
  const half = units / 2;
  const loops = chunkRows
    .map(
      (rows, c) => `
    for (int p = 0; p < ${rows / 2}; p++) {
      vec4 a = isBias ? vec4(1.0, 1.0, 0.0, 0.0) : texelFetch(h${c}, ivec2(p, kp), 0);
      vec4 b = texelFetch(dz${c}, ivec2(p, jp), 0);
      r += a.xxzz * b.xzxz + a.yyww * b.ywyw;
    }`,
    )
    .join('');
  return {
    variableNames: ['sums', ...chunkRows.flatMap((_, c) => [`h${c}`, `dz${c}`])],
    outputShape: [units + 2, 4 * units],
    packedInputs: true,
    packedOutput: true,
    userCode: `
void main() {
  ivec2 rc = getOutputCoords();
  int kp = rc.x / 2;
  int jp = rc.y / 2;
  bool isBias = kp == ${half};
  vec4 r = vec4(0.0);
  if (kp <= ${half}) {${loops}
  }
  setOutput(getSums(rc.x, rc.y) + r);
}`,
  };
}

/** Row width of the index textures of scatterRowsProgram (entries are laid out row by row). */
export const INDEX_TEXTURE_WIDTH = 1024;

/**
 * Rows of a table, one per position: output row p is `table` row `rows[p]` (`rows` `[1, n]` as
 * floats). tfjs's gather unpacks the whole table for every call (once per chunk, a dozen times a
 * batch); this reads the two table texels a 2×2 output block needs.
 */
export function gatherRowsProgram(positions: number, width: number): GPGPUProgram {
  return {
    variableNames: ['table', 'rows'],
    outputShape: [positions, width],
    packedInputs: true,
    packedOutput: true,
    userCode: `
void main() {
  ivec2 rc = getOutputCoords();
  vec4 r = texelFetch(rows, ivec2(rc.x / 2, 0), 0);
  int first = int(r.x + 0.5);
  int second = int(r.y + 0.5);
  vec4 a = texelFetch(table, ivec2(rc.y / 2, first / 2), 0);
  vec4 b = texelFetch(table, ivec2(rc.y / 2, second / 2), 0);
  setOutput(vec4((first & 1) == 0 ? a.xy : a.zw, (second & 1) == 0 ? b.xy : b.zw));
}`,
  };
}

/**
 * The projection's gradient by token: row r of the output `[rows, width]` is the sum of the
 * gradient rows of the positions that read table row r (with `sums` added when accumulating over
 * several dispatches). `offsets` and `order` are a RowIndex over this dispatch's positions, as
 * floats `INDEX_TEXTURE_WIDTH` wide; position p is row p − c·chunkRows of `grads{c}` (stacked
 * `[T·B, width]`). A row's positions ascend, so each texel walks them chunk by chunk and every
 * loop reads one texture (choosing the texture per position made SwiftShader run every branch).
 */
export function scatterRowsProgram(
  rows: number,
  width: number,
  chunkRows: number,
  chunks: number,
  accumulate: boolean,
): GPGPUProgram {
  const grads = Array.from({ length: chunks }, (_, c) => `grads${c}`);
  const walk = grads
    .map(
      (name, c) => `
    while (position < ${(c + 1) * chunkRows}) {
      int local = position - ${c * chunkRows};
      vec4 t = texelFetch(${name}, ivec2(columnPair, local / 2), 0);
      part += (local & 1) == 0 ? t.xy : t.zw;
      i++;
      position = i < end ? entry(order, i) : ${chunks * chunkRows};
    }`,
    )
    .join('');
  return {
    variableNames: ['offsets', 'order', ...(accumulate ? ['sums'] : []), ...grads],
    outputShape: [rows, width],
    packedInputs: true,
    packedOutput: true,
    userCode: `
int entry(sampler2D table, int i) {
  int r = i / ${INDEX_TEXTURE_WIDTH};
  int c = i - r * ${INDEX_TEXTURE_WIDTH};
  vec4 t = texelFetch(table, ivec2(c / 2, r / 2), 0);
  int k = (r & 1) * 2 + (c & 1);
  return int((k == 0 ? t.x : k == 1 ? t.y : k == 2 ? t.z : t.w) + 0.5);
}
void main() {
  ivec2 rc = getOutputCoords();
  int columnPair = rc.y / 2;
  vec4 sum = vec4(0.0);
  for (int second = 0; second < 2; second++) {
    int i = entry(offsets, rc.x + second);
    int end = entry(offsets, rc.x + second + 1);
    int position = i < end ? entry(order, i) : ${chunks * chunkRows};
    vec2 part = vec2(0.0);${walk}
    if (second == 0) sum.xy = part; else sum.zw = part;
  }
  setOutput(${accumulate ? 'getSums(rc.x, rc.y) + sum' : 'sum'});
}`,
  };
}

/**
 * One whole timestep for inference: the new state (c | h) straight from the previous one, the
 * projected inputs and the recurrent kernel, without writing the gates out (nothing needs them
 * without a backward pass). One dispatch per timestep; each texel recomputes the gates of its
 * two units (three gates for c, four for h), which costs about what the separate gates program
 * costs, and halves the dispatches, whose fixed cost dominates a single review.
 */
export function stepProgram(batch: number, units: number): GPGPUProgram {
  const half = units / 2;
  return {
    variableNames: ['projected', 'bias', 'state', 'recurrentT'],
    outputShape: [batch, 2 * units],
    packedInputs: true,
    packedOutput: true,
    customUniforms: [{ name: 'step', type: 'int' }],
    userCode: `${ACTIVATIONS}
void main() {
  ivec2 rc = getOutputCoords();
  int row = rc.x / 2;
  bool isH = rc.y >= ${units};
  int u = isH ? rc.y - ${units} : rc.y;
  int up = u / 2;
  vec4 zi = getProjected(step, rc.x, u) + getBias(0, u).xyxy;
  vec4 zf = getProjected(step, rc.x, u + ${units}) + getBias(0, u + ${units}).xyxy;
  vec4 zg = getProjected(step, rc.x, u + ${2 * units}) + getBias(0, u + ${2 * units}).xyxy;
  vec4 zo = isH ? getProjected(step, rc.x, u + ${3 * units}) + getBias(0, u + ${3 * units}).xyxy : vec4(0.0);
  for (int k = 0; k < ${half}; k++) {
    vec4 h = texelFetch(state, ivec2(k + ${half}, row), 0);
    vec4 hx = h.xxzz;
    vec4 hy = h.yyww;
    vec4 w = texelFetch(recurrentT, ivec2(k, up), 0);
    zi += hx * w.xzxz + hy * w.ywyw;
    w = texelFetch(recurrentT, ivec2(k, up + ${half}), 0);
    zf += hx * w.xzxz + hy * w.ywyw;
    w = texelFetch(recurrentT, ivec2(k, up + ${units}), 0);
    zg += hx * w.xzxz + hy * w.ywyw;
    if (isH) {
      w = texelFetch(recurrentT, ivec2(k, up + ${3 * half}), 0);
      zo += hx * w.xzxz + hy * w.ywyw;
    }
  }
  vec4 c = sigmoid4(zf) * getState(rc.x, u) + sigmoid4(zi) * tanh4(zg);
  setOutput(isH ? sigmoid4(zo) * tanh4(c) : c);
}`,
  };
}
