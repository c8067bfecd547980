/* keyboard.h - the PS/2 keyboard: typing at the VGA console. */
#ifndef MOO_KERNEL_KEYBOARD_H
#define MOO_KERNEL_KEYBOARD_H

/* keyboard_init: deliver key presses to the console tty (IRQ 1). */
void keyboard_init(void);

#endif
