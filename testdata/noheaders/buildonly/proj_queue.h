/* BSD-style list macros, as a project copies them into its own tree. */
#ifndef PROJ_QUEUE_H
#define PROJ_QUEUE_H

#define TAILQ_HEAD(name, type) struct name { struct type *tqh_first; struct type **tqh_last; }
#define TAILQ_ENTRY(type) struct { struct type *tqe_next; struct type **tqe_prev; }
#define TAILQ_FIRST(head) ((head)->tqh_first)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_FOREACH(var, head, field) \
    for ((var) = TAILQ_FIRST(head); (var); (var) = TAILQ_NEXT(var, field))

struct list_head { struct list_head *next, *prev; };
#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* A statement macro used without a semicolon. */
#define PROJ_TRACE_ENTER(x) do { (void)(x); } while (0);

#endif
