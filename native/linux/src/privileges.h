/* After attaching, the helper needs no privilege: it reads the ring buffer and counters through mappings. */
#ifndef VIGIL_PRIVILEGES_H
#define VIGIL_PRIVILEGES_H
/* Drops every capability for good (no regaining through exec as root). Returns 0 or -errno. */
int drop_privileges(void);
#endif
