/*
 * keyboard.c - the PS/2 keyboard through the i8042 controller.
 *
 * The controller raises IRQ 1 for each scancode (set 1, which the i8042
 * translates to by default). A press of a key is its make code; releasing
 * it sends the same code with bit 7 set. We track Shift, Ctrl and Caps Lock,
 * turn presses into the bytes a terminal would send (Ctrl-C is 3, Backspace
 * is DEL, Enter is CR) and hand them to the console tty, exactly as bytes
 * arriving on the serial line are. Keys with an 0xE0 prefix (arrows, the
 * right-hand Ctrl...) are ignored, except that right Ctrl still counts.
 */
#include "kernel/keyboard.h"
#include "kernel/fs/fs.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include <stdbool.h>

#define KBD_DATA        0x60
#define KBD_STATUS      0x64
#define KBD_OUTPUT_FULL 0x01

#define SC_LSHIFT   0x2a
#define SC_RSHIFT   0x36
#define SC_CTRL     0x1d
#define SC_CAPS     0x3a
#define SC_RELEASE  0x80
#define SC_EXTENDED 0xe0

/* scancode set 1 -> ASCII, unshifted and shifted (US layout) */
static const char normal[128] = {
    0,    27,  '1', '2', '3', '4', '5', '6', '7', '8', '9',  '0', '-', '=',  127,
    '\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',  '[', ']', '\r', 0,
    'a',  's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
    'x',  'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',  0,   ' ',
};
static const char shifted[128] = {
    0,    27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',  127,
    '\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0,
    'A',  'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|',  'Z',
    'X',  'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

static bool shift, ctrl, caps, extended;

/* key_byte: the byte a press of scancode sc sends, or 0 for none. */
static int key_byte(uint8_t sc)
{
	char c = shift ? shifted[sc] : normal[sc];
	if (caps && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	else if (caps && c >= 'A' && c <= 'Z' && shift)
		c = (char)(c - 'A' + 'a');
	if (ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return (c & 0x1f); /* Ctrl-A is 1 ... Ctrl-Z is 26 */
	return (unsigned char)c;
}

static void keyboard_scancode(uint8_t sc)
{
	if (sc == SC_EXTENDED) {
		extended = true;
		return;
	}
	bool release = sc & SC_RELEASE, was_extended = extended;
	sc &= (uint8_t)~SC_RELEASE;
	extended = false;
	if (sc == SC_CTRL) {
		ctrl = !release;
		return;
	}
	if (was_extended)
		return; /* arrows, Home, Delete...: no byte sequence for them yet */
	if (sc == SC_LSHIFT || sc == SC_RSHIFT) {
		shift = !release;
		return;
	}
	if (release)
		return;
	if (sc == SC_CAPS) {
		caps = !caps;
		return;
	}
	int c = key_byte(sc);
	if (c)
		tty_input_char((char)c);
}

static void keyboard_irq(struct trap_frame *tf)
{
	(void)tf;
	while (inb(KBD_STATUS) & KBD_OUTPUT_FULL)
		keyboard_scancode(inb(KBD_DATA));
}

void keyboard_init(void)
{
	while (inb(KBD_STATUS) & KBD_OUTPUT_FULL) /* drop what firmware left behind */
		inb(KBD_DATA);
	irq_register(1, keyboard_irq);
}
