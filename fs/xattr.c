// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes, read side: entries kept inline at the end of the
 * inode block and in a single xattr block, with values either next to
 * their names or (over 80 bytes) in clusters under a value extent list.
 * Indexed xattr blocks (bucket trees) are searched by name hash, or
 * walked for a listing, by xattr_bucket.c.  POSIX ACLs are entries of
 * their own name indexes with an empty name (acl.c).  Changes are
 * xattr_set.c's (and xattr_tree.c's for bucket trees).
 */
#include <linux/xattr.h>
#include <linux/posix_acl_xattr.h>
#include "ocfs2.h"
#include "xattr.h"

/* what a stored name is listed under; an ACL's stored name is empty */
static const char *const xattr_prefixes[OCFS2_XATTR_MAX] = {
	[OCFS2_XATTR_INDEX_USER]	= XATTR_USER_PREFIX,
	[OCFS2_XATTR_INDEX_POSIX_ACL_ACCESS]	= XATTR_NAME_POSIX_ACL_ACCESS,
	[OCFS2_XATTR_INDEX_POSIX_ACL_DEFAULT]	= XATTR_NAME_POSIX_ACL_DEFAULT,
	[OCFS2_XATTR_INDEX_TRUSTED]	= XATTR_TRUSTED_PREFIX,
	[OCFS2_XATTR_INDEX_SECURITY]	= XATTR_SECURITY_PREFIX,
};

int ocfs2_bad_xattr(struct inode *inode, const struct xattr_area *a,
		    const char *what, u64 value)
{
	return ocfs2_fs_error(inode->i_sb, __func__,
			      "inode %lu: xattrs in block %llu: %s (value %llu)",
			      inode->i_ino, (unsigned long long)a->blkno, what,
			      (unsigned long long)value);
}

static int check_header(struct inode *inode, const struct xattr_area *a)
{
	u16 count = le16_to_cpu(a->xh->xh_count);

	if (sizeof(*a->xh) + count * sizeof(struct ocfs2_xattr_entry) >
	    a->limit)
		return ocfs2_bad_xattr(inode, a, "too many entries", count);
	return 0;
}

int ocfs2_xattr_check_entry(struct inode *inode, const struct xattr_area *a,
			    const struct ocfs2_xattr_entry *xe)
{
	unsigned int off = le16_to_cpu(xe->xe_name_offset);
	unsigned int voff = off + OCFS2_XATTR_SIZE(xe->xe_name_len);
	u64 vsize = le64_to_cpu(xe->xe_value_size);

	if (voff > a->limit)
		return ocfs2_bad_xattr(inode, a, "name past the end", off);
	if (vsize > XATTR_SIZE_MAX)
		return ocfs2_bad_xattr(inode, a, "value too big", vsize);
	if (xe->xe_type & OCFS2_XATTR_ENTRY_LOCAL) {
		if (vsize > a->limit - voff)
			return ocfs2_bad_xattr(inode, a, "value past the end",
					 vsize);
	} else if (sizeof(struct ocfs2_xattr_value_root) > a->limit - voff) {
		return ocfs2_bad_xattr(inode, a, "value root past the end", voff);
	}
	return 0;
}

int ocfs2_xattr_inline_area(struct inode *inode, struct ocfs2_dinode *di,
			    struct xattr_area *a)
{
	unsigned int bs = inode->i_sb->s_blocksize;
	unsigned int size = le16_to_cpu(di->i_xattr_inline_size);

	a->blkno = OCFS2_I(inode)->blkno;
	a->limit = size;
	if (size < sizeof(*a->xh) || size > bs - OCFS2_DINODE_ID2_OFF)
		return ocfs2_bad_xattr(inode, a, "bad inline xattr size", size);
	a->base = (const u8 *)di + bs - size;
	a->xh = (const struct ocfs2_xattr_header *)a->base;
	return check_header(inode, a);
}

int ocfs2_xattr_block_area(struct inode *inode, struct buffer_head *bh,
			   struct xattr_area *a)
{
	struct ocfs2_xattr_block *xb = (struct ocfs2_xattr_block *)bh->b_data;

	a->blkno = bh->b_blocknr;
	/* a tree root holds no entries: callers go to xattr_bucket.c */
	if (le16_to_cpu(xb->xb_flags) & OCFS2_XATTR_INDEXED)
		return -EINVAL;
	/* offsets count from the header, as for inline entries */
	a->xh = &xb->xb_attrs.xb_header;
	a->base = (const u8 *)a->xh;
	a->limit = inode->i_sb->s_blocksize -
		   offsetof(struct ocfs2_xattr_block, xb_attrs);
	return check_header(inode, a);
}

static int read_tree_value(struct inode *inode, const struct xattr_area *a,
			   unsigned int voff, void *buf, size_t len)
{
	const struct ocfs2_xattr_value_root *xv = (const void *)(a->base + voff);
	unsigned int room = a->limit - voff, bs = inode->i_sb->s_blocksize;
	struct ocfs2_extent_hit hit;
	struct ocfs2_bad bad;
	struct buffer_head *bh;
	size_t done;
	int ret;

	if (ocfs2_validate_extent_list(&xv->xr_list,
				       (room - sizeof(*xv)) /
				       sizeof(struct ocfs2_extent_rec), &bad))
		return ocfs2_bad_xattr(inode, a, bad.what, bad.value);
	for (done = 0; done < len; done += bs) {
		ret = ocfs2_map_in_list(inode, &xv->xr_list, done / bs, &hit);
		if (ret)
			return ret;
		if (!hit.phys)
			return ocfs2_bad_xattr(inode, a, "value has a hole", done);
		bh = sb_bread(inode->i_sb, hit.phys);
		if (!bh)
			return -EIO;
		memcpy(buf + done, bh->b_data, min_t(size_t, bs, len - done));
		brelse(bh);
	}
	return 0;
}

static int read_value(struct inode *inode, const struct xattr_area *a,
		      const struct ocfs2_xattr_entry *xe, void *buf,
		      size_t size)
{
	unsigned int voff = le16_to_cpu(xe->xe_name_offset) +
			    OCFS2_XATTR_SIZE(xe->xe_name_len);
	size_t vsize = le64_to_cpu(xe->xe_value_size);
	int ret;

	if (!size)
		return vsize;
	if (vsize > size)
		return -ERANGE;
	if (xe->xe_type & OCFS2_XATTR_ENTRY_LOCAL) {
		memcpy(buf, a->base + voff, vsize);
		return vsize;
	}
	ret = read_tree_value(inode, a, voff, buf, vsize);
	return ret ? ret : vsize;
}

/* -ENODATA when @area has no such name. */
static int get_from_area(struct inode *inode, const struct xattr_area *a,
			 int index, const char *name, void *buf, size_t size)
{
	unsigned int i, count = le16_to_cpu(a->xh->xh_count);
	size_t len = strlen(name);
	int ret;

	for (i = 0; i < count; i++) {
		const struct ocfs2_xattr_entry *xe = &a->xh->xh_entries[i];

		ret = ocfs2_xattr_check_entry(inode, a, xe);
		if (ret)
			return ret;
		if ((xe->xe_type & OCFS2_XATTR_TYPE_MASK) != index ||
		    xe->xe_name_len != len ||
		    memcmp(a->base + le16_to_cpu(xe->xe_name_offset), name,
			   len))
			continue;
		return read_value(inode, a, xe, buf, size);
	}
	return -ENODATA;
}

/*
 * Visit each entry area of the inode (inline, then block) with @fn; in a
 * bucket tree only the bucket for *@hash when given.
 */
static int walk_block(struct inode *inode, u64 blkno, area_fn fn, void *arg,
		      const u32 *hash)
{
	struct ocfs2_xattr_block *xb;
	struct xattr_area a;
	struct buffer_head *bh;
	int ret;

	ret = ocfs2_read_covered(inode, blkno, OCFS2_BLOCK_XATTR, &bh);
	if (ret)
		return ret;
	xb = (struct ocfs2_xattr_block *)bh->b_data;
	if (le16_to_cpu(xb->xb_flags) & OCFS2_XATTR_INDEXED) {
		ret = hash ? ocfs2_xattr_visit_hash(inode, bh, *hash, fn, arg) :
			     ocfs2_xattr_walk_buckets(inode, bh, fn, arg);
		brelse(bh);
		return ret;
	}
	ret = ocfs2_xattr_block_area(inode, bh, &a);
	if (!ret)
		ret = fn(inode, &a, arg);
	brelse(bh);
	return ret;
}

/* @fn returns 1 to stop, 0 to go on, or an error. */
static int walk_areas(struct inode *inode, area_fn fn, void *arg,
		      const u32 *hash)
{
	struct ocfs2_dinode *di;
	struct buffer_head *bh;
	struct xattr_area a;
	u16 dyn;
	int ret;

	ret = ocfs2_inode_lock(inode, &bh, 0);
	if (ret)
		return ret;
	di = (struct ocfs2_dinode *)bh->b_data;
	dyn = le16_to_cpu(di->i_dyn_features);
	if (!(dyn & OCFS2_HAS_XATTR_FL))
		goto out;
	if (dyn & OCFS2_INLINE_XATTR_FL) {
		ret = ocfs2_xattr_inline_area(inode, di, &a);
		if (!ret)
			ret = fn(inode, &a, arg);
		if (ret)
			goto out;
	}
	if (di->i_xattr_loc)
		ret = walk_block(inode, le64_to_cpu(di->i_xattr_loc), fn, arg,
				 hash);
out:
	brelse(bh);
	ocfs2_inode_unlock(inode, 0);
	return ret;
}

struct get_args {
	int		index;
	const char	*name;
	void		*buf;
	size_t		size;
	int		result;
};

static int get_fn(struct inode *inode, const struct xattr_area *a, void *p)
{
	struct get_args *g = p;

	g->result = get_from_area(inode, a, g->index, g->name, g->buf,
				  g->size);
	return g->result == -ENODATA ? 0 : 1;
}

/*
 * The value of @name in name index @index: its size, or with @size the
 * value copied into @buf; -ENODATA if there is none.  ACLs (acl.c) come
 * here with their empty name.
 */
int ocfs2_xattr_read(struct inode *inode, int index, const char *name,
		     void *buf, size_t size)
{
	struct get_args g = {
		.index = index, .name = name, .buf = buf,
		.size = size, .result = -ENODATA,
	};
	u32 hash = ocfs2_xattr_hash(inode->i_sb, name, strlen(name));
	int ret;

	ret = walk_areas(inode, get_fn, &g, &hash);
	return ret < 0 ? ret : g.result;
}

/* user.* may be turned off by nouser_xattr, as stock does */
bool ocfs2_xattr_index_off(struct inode *inode, int index)
{
	return index == OCFS2_XATTR_INDEX_USER &&
	       OCFS2_SB(inode->i_sb)->opts.nouser_xattr;
}

static int ocfs2_xattr_get(const struct xattr_handler *handler,
			   struct dentry *unused, struct inode *inode,
			   const char *name, void *buf, size_t size)
{
	if (!*name)
		return -EINVAL;
	if (strlen(name) > XATTR_NAME_MAX)
		return -ERANGE;
	if (ocfs2_xattr_index_off(inode, handler->flags))
		return -EOPNOTSUPP;
	return ocfs2_xattr_read(inode, handler->flags, name, buf, size);
}

struct list_args {
	char	*buf;
	size_t	size;
	size_t	used;
	bool	trusted;	/* the caller may see trusted.* */
	bool	acl;		/* the mount has POSIX ACLs on */
};

static int list_one(struct list_args *l, const char *prefix,
		    const u8 *name, unsigned int len)
{
	size_t plen = strlen(prefix), total = plen + len + 1;

	if (l->buf) {
		if (l->used + total > l->size)
			return -ERANGE;
		memcpy(l->buf + l->used, prefix, plen);
		memcpy(l->buf + l->used + plen, name, len);
		l->buf[l->used + total - 1] = '\0';
	}
	l->used += total;
	return 0;
}

static int list_fn(struct inode *inode, const struct xattr_area *a, void *p)
{
	unsigned int i, count = le16_to_cpu(a->xh->xh_count);
	struct list_args *l = p;
	int ret, type;

	for (i = 0; i < count; i++) {
		const struct ocfs2_xattr_entry *xe = &a->xh->xh_entries[i];

		ret = ocfs2_xattr_check_entry(inode, a, xe);
		if (ret)
			return ret;
		type = xe->xe_type & OCFS2_XATTR_TYPE_MASK;
		if (type >= OCFS2_XATTR_MAX || !xattr_prefixes[type] ||
		    (type == OCFS2_XATTR_INDEX_TRUSTED && !l->trusted) ||
		    ocfs2_xattr_index_off(inode, type) ||
		    (!l->acl && (type == OCFS2_XATTR_INDEX_POSIX_ACL_ACCESS ||
				 type == OCFS2_XATTR_INDEX_POSIX_ACL_DEFAULT)))
			continue;
		ret = list_one(l, xattr_prefixes[type],
			       a->base + le16_to_cpu(xe->xe_name_offset),
			       xe->xe_name_len);
		if (ret)
			return ret;
	}
	return 0;
}

ssize_t ocfs2_listxattr(struct dentry *dentry, char *buf, size_t size)
{
	struct list_args l = {
		.buf = size ? buf : NULL, .size = size,
		.trusted = capable(CAP_SYS_ADMIN),
		.acl = IS_POSIXACL(d_inode(dentry)),
	};
	int ret;

	ret = walk_areas(d_inode(dentry), list_fn, &l, NULL);
	return ret < 0 ? ret : l.used;
}

static const struct xattr_handler ocfs2_user_handler = {
	.prefix	= XATTR_USER_PREFIX,
	.flags	= OCFS2_XATTR_INDEX_USER,
	.get	= ocfs2_xattr_get,
	.set	= ocfs2_xattr_set,
};

static const struct xattr_handler ocfs2_trusted_handler = {
	.prefix	= XATTR_TRUSTED_PREFIX,
	.flags	= OCFS2_XATTR_INDEX_TRUSTED,
	.get	= ocfs2_xattr_get,
	.set	= ocfs2_xattr_set,
};

static const struct xattr_handler ocfs2_security_handler = {
	.prefix	= XATTR_SECURITY_PREFIX,
	.flags	= OCFS2_XATTR_INDEX_SECURITY,
	.get	= ocfs2_xattr_get,
	.set	= ocfs2_xattr_set,
};

/* system.posix_acl_*: the VFS's, through the ACL inode operations (acl.c) */
const struct xattr_handler *ocfs2_xattr_handlers[] = {
	KC_POSIX_ACL_XATTR_HANDLERS
	&ocfs2_user_handler,
	&ocfs2_trusted_handler,
	&ocfs2_security_handler,
	NULL
};
