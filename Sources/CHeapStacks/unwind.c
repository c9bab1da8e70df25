/*
 * The sampler's unwinder: the stack of a sampled allocation in about a hundred instructions a
 * frame, where backtrace() spends about 13,000 instructions a sample (3 µs; callgrind, a 6-frame
 * stack) in libgcc's general DWARF interpreter.
 *
 * A plain frame-pointer walk is not enough: C built with -O2 (the default of gcc and of most
 * distributions' packages) keeps no frame pointer, and %rbp there is an ordinary register whose
 * value would send the walk astray; nor can the walk tell such a frame from a good one. So each
 * frame is unwound by the rule the compiler wrote for it in .eh_frame (which every x86_64 object
 * has, for C++ exceptions and for backtrace itself): where the caller's stack pointer is (the CFA,
 * %rsp or %rbp plus an offset) and where %rbp was saved. The rule of a return address is found once
 * (_dl_find_object, a binary search of .eh_frame_hdr, a short run of the call frame instructions)
 * and cached; later samples through the same code read it from the cache. Frames with and without
 * frame pointers, C, C++ and Swift alike, unwind the same way.
 *
 * Anything outside the common rules (a CFA computed by a DWARF expression, a signal frame, a stack
 * out of bounds, code without unwind data) makes lz_unwind give up, and the caller falls back to
 * backtrace(). Every read is checked against the thread's stack before it is made.
 */
#define _GNU_SOURCE
#include "sampler.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

enum { REGISTER_RBP = 6, REGISTER_RSP = 7, REGISTER_RA = 16 };
enum { RULE_EMPTY = 0, RULE_FRAME, RULE_OUTERMOST, RULE_UNSUPPORTED };

/* How to step from a frame, at one return address. */
typedef struct {
    uintptr_t pc;
    int32_t cfa_offset;
    int16_t rbp_offset;  /* where %rbp was saved, from the CFA; rbp_saved says whether it was */
    uint8_t cfa_from_rbp;
    uint8_t rbp_saved;
    uint8_t kind;        /* RULE_* */
    uint8_t reserved[7];
} rule;

/* Rules by return address, direct-mapped: a collision only costs a lookup. Read and written under
 * the sampler's lock. */
#define RULE_BITS 12
static rule rules[1u << RULE_BITS];

static __thread uintptr_t stack_top __attribute__((tls_model("initial-exec")));
static __thread int stack_unknown __attribute__((tls_model("initial-exec")));

/* ---- reading DWARF ---- */

typedef struct {
    const uint8_t *at;
    const uint8_t *end;
    int failed;
} reader;

static uint8_t u8(reader *r) {
    if (r->at >= r->end) {
        r->failed = 1;
        return 0;
    }
    return *r->at++;
}

static uint64_t uleb(reader *r) {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t byte = u8(r);
        value |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return value;
    }
    r->failed = 1;
    return 0;
}

static int64_t sleb(reader *r) {
    int64_t value = 0;
    int shift = 0;
    uint8_t byte;
    do {
        byte = u8(r);
        value |= (int64_t)(byte & 0x7f) << shift;
        shift += 7;
    } while ((byte & 0x80) && shift < 64 && !r->failed);
    if (shift < 64 && (byte & 0x40)) value |= -((int64_t)1 << shift);
    return value;
}

static uint64_t fixed(reader *r, int bytes) {
    if (r->end - r->at < bytes) {
        r->failed = 1;
        return 0;
    }
    uint64_t value = 0;
    memcpy(&value, r->at, (size_t)bytes);
    r->at += bytes;
    return value;
}

/* A pointer in one of the DW_EH_PE encodings that .eh_frame and .eh_frame_hdr use on x86_64:
 * absolute or relative to itself (pcrel) or to .eh_frame_hdr (datarel); indirect ones are refused. */
static uintptr_t pointer(reader *r, uint8_t encoding, uintptr_t datarel) {
    if (encoding == 0xff) return 0; /* DW_EH_PE_omit */
    uintptr_t here = (uintptr_t)r->at;
    uint64_t value;
    switch (encoding & 0x0f) {
    case 0x00: value = fixed(r, 8); break;
    case 0x01: value = uleb(r); break;
    case 0x02: value = fixed(r, 2); break;
    case 0x03: value = fixed(r, 4); break;
    case 0x04: value = fixed(r, 8); break;
    case 0x09: value = (uint64_t)sleb(r); break;
    case 0x0a: value = (uint64_t)(int64_t)(int16_t)fixed(r, 2); break;
    case 0x0b: value = (uint64_t)(int64_t)(int32_t)fixed(r, 4); break;
    case 0x0c: value = fixed(r, 8); break;
    default: r->failed = 1; return 0;
    }
    switch (encoding & 0x70) {
    case 0x00: break;
    case 0x10: value += here; break;
    case 0x30: value += datarel; break;
    default: r->failed = 1; return 0;
    }
    if (encoding & 0x80) r->failed = 1;
    return (uintptr_t)value;
}

/* ---- the call frame instructions ---- */

typedef struct {
    int cfa_register;
    int64_t cfa_offset;
    int rbp_saved;
    int64_t rbp_offset;
    int ra_undefined;
    int ra_offset_ok; /* the return address is saved at CFA - 8, as the x86_64 ABI's CIEs say */
} row;

typedef struct {
    uint64_t code_alignment;
    int64_t data_alignment;
    uint8_t fde_encoding;
    int has_augmentation_data;
    const uint8_t *instructions;
    const uint8_t *end;
} cie;

/* Runs instructions [at, end) from `state` up to the row that covers `target`; 0 if one of them is
 * outside what this unwinder supports for %rsp, %rbp and the return address. */
static int run(const uint8_t *at, const uint8_t *end, const cie *info, uintptr_t location, uintptr_t target,
               row *state, const row *initial) {
    reader r = { at, end, 0 };
    row remembered[4];
    int depth = 0;
    while (r.at < r.end && !r.failed) {
        uint8_t op = u8(&r);
        uint8_t high = op & 0xc0, low = op & 0x3f;
        uint64_t reg = 0;
        int64_t offset = 0;
        if (high == 0x40) { /* advance_loc */
            location += low * info->code_alignment;
            if (location > target) return 1;
            continue;
        }
        if (high == 0x80) { /* offset */
            reg = low;
            offset = (int64_t)uleb(&r) * info->data_alignment;
            goto saved_at;
        }
        if (high == 0xc0) { /* restore */
            reg = low;
            goto restore;
        }
        switch (op) {
        case 0x00: break; /* nop */
        case 0x01: return 0; /* set_loc: not emitted by the toolchains this runs under */
        case 0x02: location += fixed(&r, 1) * info->code_alignment; if (location > target) return 1; break;
        case 0x03: location += fixed(&r, 2) * info->code_alignment; if (location > target) return 1; break;
        case 0x04: location += fixed(&r, 4) * info->code_alignment; if (location > target) return 1; break;
        case 0x05: reg = uleb(&r); offset = (int64_t)uleb(&r) * info->data_alignment; goto saved_at;
        case 0x06: reg = uleb(&r); goto restore;
        case 0x07: /* undefined */
            reg = uleb(&r);
            if (reg == REGISTER_RA) state->ra_undefined = 1;
            if (reg == REGISTER_RBP) state->rbp_saved = 0;
            break;
        case 0x08: /* same_value */
            reg = uleb(&r);
            if (reg == REGISTER_RBP) state->rbp_saved = 0;
            if (reg == REGISTER_RA) return 0;
            break;
        case 0x09: /* register */
            reg = uleb(&r);
            uleb(&r);
            if (reg == REGISTER_RBP || reg == REGISTER_RA) return 0;
            break;
        case 0x0a: /* remember_state */
            if (depth == 4) return 0;
            remembered[depth++] = *state;
            break;
        case 0x0b: /* restore_state */
            if (depth == 0) return 0;
            *state = remembered[--depth];
            break;
        case 0x0c: /* def_cfa */
            state->cfa_register = (int)uleb(&r);
            state->cfa_offset = (int64_t)uleb(&r);
            break;
        case 0x0d: state->cfa_register = (int)uleb(&r); break;
        case 0x0e: state->cfa_offset = (int64_t)uleb(&r); break;
        case 0x0f: return 0; /* def_cfa_expression */
        case 0x10: /* expression */
        case 0x16: /* val_expression */
            reg = uleb(&r);
            if (reg == REGISTER_RBP || reg == REGISTER_RA) return 0;
            uint64_t block = uleb(&r);
            r.at += block;
            break;
        case 0x11: reg = uleb(&r); offset = sleb(&r) * info->data_alignment; goto saved_at;
        case 0x12: /* def_cfa_sf */
            state->cfa_register = (int)uleb(&r);
            state->cfa_offset = sleb(&r) * info->data_alignment;
            break;
        case 0x13: state->cfa_offset = sleb(&r) * info->data_alignment; break;
        case 0x14: /* val_offset */
        case 0x15: /* val_offset_sf */
            reg = uleb(&r);
            if (op == 0x14) uleb(&r); else sleb(&r);
            if (reg == REGISTER_RBP || reg == REGISTER_RA) return 0;
            break;
        case 0x2e: uleb(&r); break; /* GNU_args_size */
        case 0x2f: /* GNU_negative_offset_extended */
            reg = uleb(&r);
            offset = -(int64_t)uleb(&r) * info->data_alignment;
            goto saved_at;
        default: return 0;
        }
        continue;
    saved_at:
        if (reg == REGISTER_RBP) {
            state->rbp_saved = 1;
            state->rbp_offset = offset;
        } else if (reg == REGISTER_RA) {
            state->ra_offset_ok = offset == -8;
            state->ra_undefined = 0;
        }
        continue;
    restore:
        if (!initial) return 0;
        if (reg == REGISTER_RBP) {
            state->rbp_saved = initial->rbp_saved;
            state->rbp_offset = initial->rbp_offset;
        } else if (reg == REGISTER_RA) {
            state->ra_offset_ok = initial->ra_offset_ok;
            state->ra_undefined = initial->ra_undefined;
        }
    }
    return !r.failed;
}

static int parse_cie(const uint8_t *at, cie *info) {
    uint32_t length;
    memcpy(&length, at, 4);
    if (length == 0 || length == 0xffffffffu) return 0;
    reader r = { at + 4, at + 4 + length, 0 };
    if (fixed(&r, 4) != 0) return 0; /* a CIE's id is 0 in .eh_frame */
    uint8_t version = u8(&r);
    if (version != 1 && version != 3) return 0;
    const char *augmentation = (const char *)r.at;
    size_t size = strnlen(augmentation, (size_t)(r.end - r.at));
    r.at += size + 1;
    info->code_alignment = uleb(&r);
    info->data_alignment = sleb(&r);
    uint64_t ra = version == 1 ? u8(&r) : uleb(&r);
    if (ra != REGISTER_RA) return 0;
    info->fde_encoding = 0; /* absptr */
    info->has_augmentation_data = augmentation[0] == 'z';
    if (info->has_augmentation_data) {
        uint64_t data = uleb(&r);
        const uint8_t *after = r.at + data;
        for (const char *c = augmentation + 1; *c; c++) {
            if (*c == 'R') info->fde_encoding = u8(&r);
            else if (*c == 'P') { uint8_t encoding = u8(&r); pointer(&r, encoding & 0x7f, 0); }
            else if (*c == 'L') u8(&r);
            else if (*c == 'S') return 0; /* a signal frame: backtrace() knows how */
            else break;
        }
        r.at = after;
    } else if (augmentation[0] != 0) {
        return 0;
    }
    info->instructions = r.at;
    info->end = r.end;
    return !r.failed && r.at <= r.end;
}

/* The rule for return address `pc`, worked out from the object's unwind data. */
static rule find_rule(uintptr_t pc) {
    rule found = { .pc = pc, .kind = RULE_UNSUPPORTED };
    uintptr_t call = pc - 1; /* the call instruction: the return address may start the next function */
#if LZ_HAVE_DL_FIND_OBJECT
    struct dl_find_object object;
    if (_dl_find_object((void *)call, &object) != 0 || !object.dlfo_eh_frame) return found;
    const uint8_t *header = object.dlfo_eh_frame;
#else
    const uint8_t *header = NULL;
    return found;
#endif
    uintptr_t base = (uintptr_t)header;
    /* .eh_frame_hdr: version 1, then its encodings, and a table sorted by start address that the
     * linker always writes as datarel sdata4 pairs. */
    if (header[0] != 1 || header[3] != 0x3b) return found;
    reader r = { header + 4, header + 64, 0 };
    pointer(&r, header[1], base);
    uint64_t count = pointer(&r, header[2], base);
    if (r.failed || count == 0) return found;
    const int32_t *table = (const int32_t *)r.at;
    uint64_t low = 0, high = count;
    while (high - low > 1) {
        uint64_t middle = (low + high) / 2;
        if (base + (intptr_t)table[2 * middle] <= call) low = middle; else high = middle;
    }
    if (base + (intptr_t)table[2 * low] > call) return found;
    const uint8_t *fde = (const uint8_t *)(base + (intptr_t)table[2 * low + 1]);
    uint32_t length, cie_offset;
    memcpy(&length, fde, 4);
    if (length == 0 || length == 0xffffffffu) return found;
    memcpy(&cie_offset, fde + 4, 4);
    cie info;
    if (!parse_cie(fde + 4 - cie_offset, &info)) return found;
    reader f = { fde + 8, fde + 4 + length, 0 };
    uintptr_t start = pointer(&f, info.fde_encoding, base);
    uintptr_t range = pointer(&f, info.fde_encoding & 0x0f, 0);
    if (f.failed || call < start || call >= start + range) return found;
    if (info.has_augmentation_data) {
        uint64_t data = uleb(&f);
        f.at += data;
    }
    if (f.failed || f.at > f.end) return found;
    row initial = { .cfa_register = REGISTER_RSP, .cfa_offset = 8, .ra_offset_ok = 1 };
    if (!run(info.instructions, info.end, &info, 0, UINTPTR_MAX, &initial, NULL)) return found;
    row state = initial;
    if (!run(f.at, f.end, &info, start, call, &state, &initial)) return found;
    if (state.ra_undefined) {
        found.kind = RULE_OUTERMOST;
        return found;
    }
    if (!state.ra_offset_ok || (state.cfa_register != REGISTER_RSP && state.cfa_register != REGISTER_RBP)
        || state.cfa_offset < 8 || state.cfa_offset > INT32_MAX || state.rbp_offset < INT16_MIN
        || state.rbp_offset > INT16_MAX) {
        return found;
    }
    found.kind = RULE_FRAME;
    found.cfa_from_rbp = state.cfa_register == REGISTER_RBP;
    found.cfa_offset = (int32_t)state.cfa_offset;
    found.rbp_saved = (uint8_t)state.rbp_saved;
    found.rbp_offset = (int16_t)state.rbp_offset;
    return found;
}

void lz_unwind_prepare_thread(void) {
    if (stack_top || stack_unknown) return;
    pthread_attr_t attributes;
    void *low = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
        if (pthread_attr_getstack(&attributes, &low, &size) == 0 && low) stack_top = (uintptr_t)low + size;
        pthread_attr_destroy(&attributes);
    }
    if (!stack_top) stack_unknown = 1;
}

__attribute__((noinline)) int lz_unwind(void **frames, int capacity) {
    if (!stack_top) return -1;
    /* This function keeps a frame pointer (the builtin asks for one), so its caller's registers
     * are known exactly: the return address above the saved %rbp, and %rsp just past both. */
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    uintptr_t rsp = frame + 16, rbp = *(uintptr_t *)frame;
    uintptr_t pc = (uintptr_t)__builtin_return_address(0);
    int count = 0;
    while (count < capacity) {
        frames[count++] = (void *)pc;
        rule *slot = &rules[(uint32_t)(((uint64_t)pc * 0x9E3779B97F4A7C15ULL) >> (64 - RULE_BITS))];
        if (slot->pc != pc || slot->kind == RULE_EMPTY) *slot = find_rule(pc);
        if (slot->kind == RULE_OUTERMOST) return count;
        if (slot->kind != RULE_FRAME) return -1;
        uintptr_t cfa = (slot->cfa_from_rbp ? rbp : rsp) + (uintptr_t)(intptr_t)slot->cfa_offset;
        if (cfa <= rsp || cfa > stack_top || (cfa & 7)) return -1;
        uintptr_t saved_rbp = cfa + (uintptr_t)(intptr_t)slot->rbp_offset;
        if (slot->rbp_saved) {
            if (saved_rbp < rsp || saved_rbp + 8 > stack_top) return -1;
            rbp = *(uintptr_t *)saved_rbp;
        }
        pc = *(uintptr_t *)(cfa - 8);
        rsp = cfa;
        if (pc == 0) return count;
    }
    return count;
}
