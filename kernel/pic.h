/* pic.h - the two 8259A interrupt controllers, remapped to vectors 32..47. */
#ifndef MOO_KERNEL_PIC_H
#define MOO_KERNEL_PIC_H

#include <stdbool.h>

void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);
bool pic_is_spurious(int irq);

#endif
