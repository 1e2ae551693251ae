/* SPDX-License-Identifier: GPL-2.0 */
/*
 * o2dlm as its users (the ocfs2_stack_o2cb plugin) see it: join a domain,
 * take, convert and release locks with asynchronous completion, and hear
 * about nodes evicted from the domain.
 */
#ifndef O2CB_O2DLM_H
#define O2CB_O2DLM_H

#include <linux/list.h>
#include <linux/types.h>
#include <ocfs2/o2dlm_fmt.h>

struct o2dlm_ctxt;
struct o2dlm_lock;

/*
 * The caller's lock status block.  lvb points at the caller's 64-byte
 * value block; status is the result the last AST reported.
 */
struct o2dlm_lksb {
	enum o2dlm_status	status;
	u32			flags;		/* O2DLM_LKSB_* */
	struct o2dlm_lock	*lock;
	char			*lvb;
};

#define O2DLM_LKSB_PUT_LVB	0x02
#define O2DLM_LKSB_GET_LVB	0x04

typedef void (o2dlm_ast_fn)(void *data);
typedef void (o2dlm_bast_fn)(void *data, int blocked_mode);
typedef void (o2dlm_unlock_ast_fn)(void *data, enum o2dlm_status status);

struct o2dlm_eviction_cb {
	struct list_head	ec_item;
	void			(*ec_func)(int node_num, void *data);
	void			*ec_data;
};

struct o2dlm_ctxt *o2dlm_register_domain(const char *domain, u32 key,
					 struct o2dlm_protocol_version *fs);
void o2dlm_unregister_domain(struct o2dlm_ctxt *dlm);
void o2dlm_register_eviction_cb(struct o2dlm_ctxt *dlm,
				struct o2dlm_eviction_cb *cb);
void o2dlm_unregister_eviction_cb(struct o2dlm_ctxt *dlm,
				  struct o2dlm_eviction_cb *cb);

/*
 * O2DLM_NORMAL: queued, ast (or unlock_ast) runs later.  Anything else
 * is a synchronous failure (O2DLM_NOTQUEUED for a busy NOQUEUE request).
 */
enum o2dlm_status o2dlm_lock(struct o2dlm_ctxt *dlm, int mode,
			     struct o2dlm_lksb *lksb, int flags,
			     const char *name, int namelen,
			     o2dlm_ast_fn *ast, void *data,
			     o2dlm_bast_fn *bast);
enum o2dlm_status o2dlm_unlock(struct o2dlm_ctxt *dlm,
			       struct o2dlm_lksb *lksb, int flags,
			       o2dlm_unlock_ast_fn *unlock_ast, void *data);

#endif /* O2CB_O2DLM_H */
