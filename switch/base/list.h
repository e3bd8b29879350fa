/*
 * list.h - an intrusive, NULL-terminated doubly linked list.
 *
 * Copyright (C) 2026 The vswitchd authors.  GPL-2.0-or-later (see COPYING).
 *
 * The object embeds a struct list_node and the owner a struct list_head;
 * pushing and unlinking are O(1) and allocate nothing, which is what the
 * loop's timers, the control server's clients and the switch's ports (and
 * a port's children) need.  The list is not circular on purpose: an empty
 * head and a node that is on no list are all zeroes, so a zeroed struct is
 * a valid empty list or a detached node without an init call, and a walk
 * ends at NULL like the hand-written lists it replaces.  New nodes go in
 * front, so a walk sees the newest first.
 */
#ifndef VSW_SWITCH_LIST_H
#define VSW_SWITCH_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "switch/base/util.h"

/**
 * struct list_node - the links an object embeds to be on a list.
 * @next:	the next (older) node, or NULL
 * @prev:	the previous (newer) node, or NULL at the front
 */
struct list_node {
	struct list_node *next, *prev;
};

/**
 * struct list_head - the owner's end of a list.
 * @first:	the newest node, or NULL when the list is empty
 */
struct list_head {
	struct list_node *first;
};

/**
 * list_empty() - true when @head has no node.
 * @head:	the list
 */
static inline bool list_empty(const struct list_head *head)
{
	return !head->first;
}

/**
 * list_push() - put @node in front of @head.
 * @head:	the list
 * @node:	a node on no list
 */
static inline void list_push(struct list_head *head, struct list_node *node)
{
	node->prev = NULL;
	node->next = head->first;
	if (head->first)
		head->first->prev = node;
	head->first = node;
}

/**
 * list_unlink() - take @node off @head.
 * @head:	the list @node is on
 * @node:	the node; its links are cleared, so it reads as on no list
 */
static inline void list_unlink(struct list_head *head, struct list_node *node)
{
	if (node->prev)
		node->prev->next = node->next;
	else
		head->first = node->next;
	if (node->next)
		node->next->prev = node->prev;
	node->next = node->prev = NULL;
}

/**
 * list_entry() - the object that embeds @node_, or NULL for a NULL @node_.
 * @node_:	a struct list_node pointer, evaluated once
 * @type_:	the object's type
 * @member_:	the name of its struct list_node member
 *
 * NULL in, NULL out, so that the end of a list maps to "no object".
 */
#define list_entry(node_, type_, member_)                                      \
	({                                                                     \
		struct list_node *ln_ = (node_);                               \
		ln_ ? container_of(ln_, type_, member_) : (type_ *)NULL;       \
	})

/**
 * list_first() - the newest object on @head_, or NULL.
 * @head_:	the list
 * @type_:	the object's type
 * @member_:	the name of its struct list_node member
 */
#define list_first(head_, type_, member_)                                      \
	list_entry((head_)->first, type_, member_)

/**
 * list_next() - the object after @obj_ on its list, or NULL.
 * @obj_:	an object on a list
 * @type_:	its type
 * @member_:	the name of its struct list_node member
 */
#define list_next(obj_, type_, member_)                                        \
	list_entry((obj_)->member_.next, type_, member_)

/**
 * list_for_each() - walk @head_ from the newest object.
 * @pos_:	loop variable, a @type_ pointer declared here
 * @head_:	the list
 * @type_:	the object's type
 * @member_:	the name of its struct list_node member
 *
 * The body must not unlink @pos_; a body that does restarts the walk or
 * uses list_for_each_safe().
 */
#define list_for_each(pos_, head_, type_, member_)                             \
	for (type_ *pos_ = list_first(head_, type_, member_); pos_;            \
	     pos_ = list_next(pos_, type_, member_))

/**
 * list_for_each_safe() - walk @head_; the body may unlink @pos_.
 * @pos_:	loop variable, a @type_ pointer declared here
 * @head_:	the list
 * @type_:	the object's type
 * @member_:	the name of its struct list_node member
 *
 * The next object is read before the body runs, so only @pos_ may go.
 */
#define list_for_each_safe(pos_, head_, type_, member_)                        \
	for (type_ *pos_ = list_first(head_, type_, member_), *pos_##_next_;   \
	     pos_ && (pos_##_next_ = list_next(pos_, type_, member_), 1);      \
	     pos_ = pos_##_next_)

#endif /* VSW_SWITCH_LIST_H */
