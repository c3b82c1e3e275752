/**
 * Slots of the one-review classifier's header block (assembly/classify.ts and
 * src/inference/wasmLstmClassifier.ts), in the same style as layout.ts: plain integer constants
 * that AssemblyScript and TypeScript both read. Each slot is 4 bytes; slots below
 * CLASSIFY_FLOAT_SLOTS hold i32 (sizes, byte offsets), the others f32.
 */

// Sizes.
export const C_VOCAB = 0; // V
export const C_EMBED = 1; // E
export const C_UNITS = 2; // H (a multiple of 8: the recurrent product works on 32-column panels)
export const C_MAXLEN = 3; // L
export const C_MASK_ZERO = 4; // 1: id 0 is masked (the state carries over), 0: it is a token like any other
export const C_PAD_DONE = 5; // padding states computed so far (pad state k = after k leading padding steps)

// Byte offsets.
export const C_EMB = 8; // [V, E] embeddings
export const C_KERNEL = 9; // W [E, 4H]
export const C_BIAS = 10; // b [4H]
export const C_PANELS = 11; // U [H, 4H] as 4H/32 panels of [H, 32] (panel p: columns 32p…32p+31), read front to back
export const C_DENSE = 12; // w_d [H]
export const C_PROJ = 13; // [V, 4H] x·W + b of each token, filled on first use
export const C_PROJECTED = 14; // u8 [V]: 1 once the token's projection is in C_PROJ
export const C_PAD_STATES = 15; // [L + 1, 2H] h | c after k leading padding steps
export const C_IDS = 16; // i32 [L] the padded row to read
export const C_LOGITS = 17; // f32 [L] the head's logit after each step read (explain)
export const C_STATE = 18; // [2H] h | c of the review being read
export const C_Z = 19; // [4H] the gates of one step
export const C_NEW_TOKENS = 20; // i32 [max(L, CLASSIFY_AHEAD)] tokens still to project
export const C_GATHER = 21; // [CLASSIFY_CHUNK, E] embedding rows to project together
export const C_GATHER_OUT = 22; // [CLASSIFY_CHUNK, 4H] their projections

// f32 slots.
export const CLASSIFY_FLOAT_SLOTS = 32;
export const C_DENSE_BIAS = 32; // b_d
export const C_LOGIT_BEFORE = 33; // out: the head's logit of the state before the first step read
export const CLASSIFY_HEADER_SLOTS = 40;

/** Vocabulary rows projected per call when the whole table is filled ahead of use. */
export const CLASSIFY_AHEAD = 256;

/** Tokens projected per matrix product when a review brings new ones. */
export const CLASSIFY_CHUNK = 16;
