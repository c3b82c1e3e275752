/**
 * Slots of the run's header block in WebAssembly memory, shared by the AssemblyScript kernels
 * (`assembly/`, which import this file) and the TypeScript wrapper. The kernels keep no state of
 * their own: every pointer and size is read from this header, so any number of instances (one per
 * worker thread) over one shared memory run the same step.
 *
 * Plain `export const NAME = <integer>` only: the one syntax both compilers read the same way.
 * Each slot is 4 bytes; slots below FLOAT_SLOTS hold i32 (sizes, byte offsets), the others f32.
 */

// Sizes.
export const SLOT_BATCH = 0; // row capacity B
export const SLOT_MAXLEN = 1; // L
export const SLOT_VOCAB = 2; // V
export const SLOT_EMBED = 3; // E
export const SLOT_UNITS = 4; // H
export const SLOT_THREADS = 5; // per-thread gradient and scratch blocks
export const SLOT_ROWS = 6; // rows in the current batch (≤ B)
export const SLOT_UNIQUE = 7; // distinct tokens in the current batch
export const SLOT_OPTIMIZER = 8; // OPTIMIZER_*
export const SLOT_DENSE_COUNT = 9; // floats in W | U | b | w_d | b_d
export const SLOT_DENSE_STRIDE = 10; // floats between two threads' gradient blocks (multiple of 16)
export const SLOT_CHUNK = 11; // tokens per chunk in the embedding phase
export const SLOT_SCRATCH_STRIDE = 12; // bytes between two threads' scratch blocks
export const SLOT_MASK_ZERO = 13; // 1: id 0 is masked (Embedding mask_zero: the state carries over)
export const SLOT_FIRST_STEP = 14; // with masking, the first timestep any row of the batch reads (all before are masked)

// Byte offsets.
export const SLOT_EMB = 16; // [V, E] embeddings
export const SLOT_DENSE = 17; // W [E, 4H] | U [H, 4H] | b [4H] | w_d [H] | b_d [1]
export const SLOT_UT = 18; // U transposed [4H, H] (backward: dh = dz · Uᵀ)
export const SLOT_WT = 19; // W transposed [4H, E] (embedding gradient: dP · Wᵀ)
export const SLOT_GRAD = 20; // [threads, DENSE_STRIDE] partial gradients of the dense weights
export const SLOT_S1_DENSE = 21; // optimizer accumulators (RMSprop ms/moments, Adam m/v)
export const SLOT_S2_DENSE = 22;
export const SLOT_S1_EMB = 23;
export const SLOT_S2_EMB = 24;
export const SLOT_IDS = 25; // i32 [B, L]
export const SLOT_LABELS = 26; // f32 [B]
export const SLOT_UNIQ_TOKEN = 27; // i32 [maxUnique] token id of each distinct token
export const SLOT_POS_UNIQUE = 28; // i32 [B, L] distinct-token index of each position
export const SLOT_CSR_START = 29; // i32 [maxUnique + 1] start of each token's positions in CSR_POS
export const SLOT_CSR_POS = 30; // i32 [B·L] positions as timestep records t·B + b, grouped by token
export const SLOT_ROW_MAP = 31; // i32 [V] distinct-token index of each vocabulary row, or -1
export const SLOT_PROJ = 32; // [maxUnique, 4H] x·W + b per distinct token
export const SLOT_GEMB = 33; // [maxUnique, E] embedding gradient rows
export const SLOT_GATES = 34; // [L, B, 4H] activated gates i|f|g|o, overwritten by dz in backward
export const SLOT_CELL = 35; // [L, B, H] c_t
export const SLOT_TANHC = 36; // [L, B, H] tanh(c_t)
export const SLOT_HIDDEN = 37; // [L, B, H] h_t
export const SLOT_DH = 38; // [B, H] dL/dh of the current step
export const SLOT_DC = 39; // [B, H] dL/dc carried to the previous step
export const SLOT_PROB = 40; // f32 [B]
export const SLOT_DLOGIT = 41; // f32 [B]
export const SLOT_SCRATCH = 42; // [threads] × SCRATCH_STRIDE bytes
export const SLOT_ZERO = 43; // [max(E, H)] zeros: the gradient of rows not in the batch, c before step 0
export const SLOT_DH_MASKED = 44; // [B, H] dL/dh of rows masked at the current step, carried past its product

// f32 slots: optimizer hyper-parameters, as tfjs holds them (float32 scalars).
export const FLOAT_SLOTS = 48;
export const SLOT_LR = 48;
export const SLOT_NEG_LR = 49; // SGD's and Adam's -lr
export const SLOT_P1 = 50; // RMSprop decay, Adam beta1
export const SLOT_P2 = 51; // RMSprop momentum, Adam beta2
export const SLOT_ONE_MINUS_P1 = 52; // 1 - decay, 1 - beta1 (computed in float64 like tfjs, then rounded)
export const SLOT_ONE_MINUS_P2 = 53; // 1 - beta2
export const SLOT_EPSILON = 54;
export const SLOT_ONE_MINUS_ACC_B1 = 55; // Adam: 1 - beta1^t
export const SLOT_ONE_MINUS_ACC_B2 = 56; // Adam: 1 - beta2^t
export const HEADER_SLOTS = 64;

export const OPTIMIZER_SGD = 0;
export const OPTIMIZER_RMSPROP = 1;
export const OPTIMIZER_ADAM = 2;
