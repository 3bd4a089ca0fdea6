/*
 * text.c — folding personal names for comparison: "Nguyễn Văn  An",
 * "NGUYEN VAN AN" and "nguyễn văn an" are the same name to a verifier.
 * Letters lose their diacritics (the Vietnamese ones included, đ → D) and
 * their case; anything that is not a letter or digit is dropped.  The two
 * tables map the code points U+00C0..U+024F and U+1E00..U+1EFF to their
 * base letter ('.' = none); they were generated from the Unicode
 * decompositions.
 */
#include "base/text.h"

#include <stddef.h>

static const char latin[] =   /* U+00C0 .. U+024F */
    "AAAAAA.CEEEEIIII.NOOOOO..UUUUY..AAAAAA.CEEEEIIII.NOOOOO..UUUUY.Y"
    "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHH..IIIIIIIII...JJKK.LLLLLL."
    "...NNNNNN...OOOOOO..RRRRRRSSSSSSSSTTTT..UUUUUUUUUUUUWWYYYZZZZZZ."
    "................................OO.............UU..............."
    ".............AAIIOOUUUUUUUUUU.AAAA....GGKKOOOO..J...GG..NNAA...."
    "AAAAEEEEIIIIOOOORRRRUUUUSSTT..HH......AAEEOOOOOOOOYY............"
    "................";

static const char extended[] =   /* U+1E00 .. U+1EFF */
    "AABBBBBBCCDDDDDDDDDDEEEEEEEEEEFFGGHHHHHHHHHHIIIIKKKKKKLLLLLLLLMM"
    "MMMMNNNNNNNNOOOOOOOOPPPPRRRRRRRRSSSSSSSSSSTTTTTTTTUUUUUUUUUUVVVV"
    "WWWWWWWWWWXXXXYYZZZZZZHTWY......AAAAAAAAAAAAAAAAAAAAAAAAEEEEEEEE"
    "EEEEEEEEIIIIOOOOOOOOOOOOOOOOOOOOOOOOUUUUUUUUUUUUUUYYYYYYYY......";

/* The next code point of a UTF-8 string, or -1 for an invalid byte (skipped). */
static long next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    long cp;
    int extra;
    if (s[0] < 0x80) { *p = s + 1; return s[0]; }
    if ((s[0] & 0xE0) == 0xC0) { cp = s[0] & 0x1F; extra = 1; }
    else if ((s[0] & 0xF0) == 0xE0) { cp = s[0] & 0x0F; extra = 2; }
    else if ((s[0] & 0xF8) == 0xF0) { cp = s[0] & 0x07; extra = 3; }
    else { *p = s + 1; return -1; }
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) { *p = s + i; return -1; }
        cp = cp << 6 | (s[i] & 0x3F);
    }
    *p = s + extra + 1;
    return cp;
}

static char fold(long cp)
{
    if (cp >= 'a' && cp <= 'z') return (char)(cp - 'a' + 'A');
    if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) return (char)cp;
    char c = '.';
    if (cp >= 0xC0 && cp < 0x250) c = latin[cp - 0xC0];
    else if (cp >= 0x1E00 && cp < 0x1F00) c = extended[cp - 0x1E00];
    return c == '.' ? 0 : c;
}

uint32_t gd_name_key(const char *name)
{
    uint32_t h = 2166136261u;              /* FNV-1a over the folded letters */
    bool any = false;
    const unsigned char *p = (const unsigned char *)(name ? name : "");
    while (*p) {
        char c = fold(next_code_point(&p));
        if (!c) continue;
        h = (h ^ (unsigned char)c) * 16777619u;
        any = true;
    }
    return any ? (h ? h : 1) : 0;
}

/* Length of the UTF-8 sequence starting with byte c and the least code
 * point it may encode; 0 for a byte that cannot start one. */
static int utf8_lead(unsigned char c, uint32_t *min, uint32_t *cp)
{
    if (c < 0x80) { *cp = c; *min = 0; return 1; }
    if ((c & 0xE0) == 0xC0) { *cp = c & 0x1F; *min = 0x80; return 2; }
    if ((c & 0xF0) == 0xE0) { *cp = c & 0x0F; *min = 0x800; return 3; }
    if ((c & 0xF8) == 0xF0) { *cp = c & 0x07; *min = 0x10000; return 4; }
    return 0;
}

size_t gd_utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t min, cp;
        int len = utf8_lead(p[i], &min, &cp);
        if (len == 0 || i + (size_t)len > n) return i;
        for (int k = 1; k < len; k++) {
            if ((p[i + (size_t)k] & 0xC0) != 0x80) return i;
            cp = cp << 6 | (p[i + (size_t)k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += (size_t)len;
    }
    return n;
}
