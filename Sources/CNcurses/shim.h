#ifndef TRADSEC_CNCURSES_SHIM_H
#define TRADSEC_CNCURSES_SHIM_H
// The wide-character API (cchar_t, setcchar, wadd_wchnstr, get_wch). <curses.h> tests
// NCURSES_WIDECHAR itself; feature macros would come too late (Glibc is already built).
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 rejects mutable C globals and cannot import NCURSES_BITS macros or
// function-like macros: these accessors stand in for them.
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline WINDOW *cn_curscr(void) { return curscr; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_standout(void) { return A_STANDOUT; }
static inline int cn_key_f(int n) { return KEY_F(n); }

// True when the terminal can move the cursor (TERM=dumb and friends cannot host a full screen).
static inline int cn_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

// One cell: `text` is the UTF-8 of one character (a base scalar plus its combining marks).
static inline int cn_put_cell(WINDOW *w, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cell);
}

// Reads a cell back (tests): its characters, attributes and colour pair.
static inline int cn_get_cell(WINDOW *w, int y, int x, wchar_t *text, attr_t *attrs, short *pair) {
    cchar_t cell;
    if (mvwin_wch(w, y, x, &cell) == ERR) return ERR;
    return getcchar(&cell, text, attrs, pair, NULL);
}
#endif
