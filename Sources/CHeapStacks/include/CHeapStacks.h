/* libSoakHeapStacks.so exports malloc, free, calloc, realloc and the aligned allocators. */
#ifndef LAZYSOAK_CHEAPSTACKS_H
#define LAZYSOAK_CHEAPSTACKS_H
int lazysoak_heap_stacks_version(void);
#endif
