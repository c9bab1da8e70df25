#ifndef LAZYSOAK_CHEAPPRELOAD_H
#define LAZYSOAK_CHEAPPRELOAD_H

/* libSoakHeapPreload.so has no API: loaded with LD_PRELOAD and LAZYSOAK_HEAP_DIR set, its
 * constructor starts publishing the heap page (see CHeapPage.h). Without LAZYSOAK_HEAP_DIR it does
 * nothing at all. */

/* The library's version of the page layout, so a test can check it loaded the right one. */
int lazysoak_heap_preload_version(void);

#endif
