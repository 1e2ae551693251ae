// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX ACLs, kept where stock keeps them so either module reads the
 * other's: system.posix_acl_access and system.posix_acl_default are
 * xattrs of their own name indexes with an empty name, the value an array
 * of struct ocfs2_acl_entry (tag, permissions, id; no header, unlike the
 * xattr interface's form).  The VFS converts and checks the interface's
 * form; here only the disk form is read and written.  The mount option
 * acl (the default on volumes with xattrs) turns them on (SB_POSIXACL).
 */
#include "ocfs2.h"
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include "xattr.h"

/* an ACL's value is never larger than an xattr value may be */
#define OCFS2_ACL_MAX_ENTRIES	(XATTR_SIZE_MAX / sizeof(struct ocfs2_acl_entry))

static int acl_index(int type)
{
	return type == ACL_TYPE_ACCESS ? OCFS2_XATTR_INDEX_POSIX_ACL_ACCESS :
					 OCFS2_XATTR_INDEX_POSIX_ACL_DEFAULT;
}

static int bad_acl(struct inode *inode, int type, const char *what)
{
	ocfs2_err(inode->i_sb, "inode %lu: bad %s ACL on disk: %s",
		  inode->i_ino, type == ACL_TYPE_ACCESS ? "access" : "default",
		  what);
	return -EIO;
}

static int entry_from_disk(struct posix_acl_entry *pa,
			   const struct ocfs2_acl_entry *e)
{
	u32 id = le32_to_cpu(e->e_id);

	pa->e_tag = le16_to_cpu(e->e_tag);
	pa->e_perm = le16_to_cpu(e->e_perm);
	switch (pa->e_tag) {
	case ACL_USER:
		pa->e_uid = make_kuid(&init_user_ns, id);
		return uid_valid(pa->e_uid) ? 0 : -EINVAL;
	case ACL_GROUP:
		pa->e_gid = make_kgid(&init_user_ns, id);
		return gid_valid(pa->e_gid) ? 0 : -EINVAL;
	case ACL_USER_OBJ:
	case ACL_GROUP_OBJ:
	case ACL_MASK:
	case ACL_OTHER:
		return 0;
	default:
		return -EINVAL;
	}
}

/* A bad value is refused with -EIO and said, never half used. */
static struct posix_acl *acl_from_disk(struct inode *inode, int type,
				       const void *value, size_t size)
{
	const struct ocfs2_acl_entry *e = value;
	size_t i, count = size / sizeof(*e);
	struct posix_acl *acl;

	if (!size || size % sizeof(*e) || count > OCFS2_ACL_MAX_ENTRIES)
		return ERR_PTR(bad_acl(inode, type, "size"));
	acl = posix_acl_alloc(count, GFP_NOFS);
	if (!acl)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < count; i++) {
		if (entry_from_disk(&acl->a_entries[i], &e[i]))
			goto bad;
	}
	if (posix_acl_valid(&init_user_ns, acl))
		goto bad;
	return acl;
bad:
	posix_acl_release(acl);
	return ERR_PTR(bad_acl(inode, type, "entries"));
}

static void *acl_to_disk(const struct posix_acl *acl, size_t *size)
{
	struct ocfs2_acl_entry *e;
	unsigned int i;
	u32 id;

	*size = acl->a_count * sizeof(*e);
	e = kmalloc(*size, GFP_NOFS);
	if (!e)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < acl->a_count; i++) {
		const struct posix_acl_entry *pa = &acl->a_entries[i];

		if (pa->e_tag == ACL_USER)
			id = from_kuid(&init_user_ns, pa->e_uid);
		else if (pa->e_tag == ACL_GROUP)
			id = from_kgid(&init_user_ns, pa->e_gid);
		else
			id = ACL_UNDEFINED_ID;
		e[i].e_tag = cpu_to_le16(pa->e_tag);
		e[i].e_perm = cpu_to_le16(pa->e_perm);
		e[i].e_id = cpu_to_le32(id);
	}
	return e;
}

/* The ACL on disk, NULL if there is none; not cached. */
static struct posix_acl *read_acl(struct inode *inode, int type)
{
	int index = acl_index(type);
	struct posix_acl *acl;
	void *value;
	int size, got;

	size = ocfs2_xattr_read(inode, index, "", NULL, 0);
	if (size == -ENODATA)
		return NULL;
	if (size < 0)
		return ERR_PTR(size);
	if (!size)
		return ERR_PTR(bad_acl(inode, type, "size"));
	value = kmalloc(size, GFP_NOFS);
	if (!value)
		return ERR_PTR(-ENOMEM);
	got = ocfs2_xattr_read(inode, index, "", value, size);
	/* changed under us (another node): read it as it is now */
	if (got == -ERANGE)
		acl = read_acl(inode, type);
	else if (got == -ENODATA)
		acl = NULL;
	else if (got < 0)
		acl = ERR_PTR(got);
	else
		acl = acl_from_disk(inode, type, value, got);
	kfree(value);
	return acl;
}

/* ->get_acl (6.1) / ->get_inode_acl: the VFS caches what we return */
struct posix_acl *ocfs2_get_acl(struct inode *inode, int type, bool rcu)
{
	if (rcu)
		return ERR_PTR(-ECHILD);
	if (!IS_POSIXACL(inode))
		return NULL;
	return read_acl(inode, type);
}

/*
 * ->permission.  On a cluster mount the mode, owner and ACLs are made
 * current under the inode's meta lock first, as stock does: another
 * node's chmod or setfacl took the lock from us, and taking it back
 * reloads the inode and forgets the cached ACLs (inode.c meta_refresh),
 * so a check never passes on a stale ACL.  Not in RCU path walks (the
 * lock may sleep); local mounts need no lock.
 */
int ocfs2_permission(struct kc_idmap *idmap, struct inode *inode, int mask)
{
	int ret;

	if (OCFS2_SB(inode->i_sb)->locks.local)
		return generic_permission(idmap, inode, mask);
	if (mask & MAY_NOT_BLOCK)
		return -ECHILD;
	ret = ocfs2_inode_lock(inode, NULL, 0);
	if (ret)
		return ret;
	ret = generic_permission(idmap, inode, mask);
	ocfs2_inode_unlock(inode, 0);
	return ret;
}

/* @acl (NULL: none) written as the inode's ACL of @type. */
static int write_acl(struct inode *inode, int type, struct posix_acl *acl)
{
	void *value = NULL;
	size_t size = 0;
	int ret;

	if (acl) {
		value = acl_to_disk(acl, &size);
		if (IS_ERR(value))
			return PTR_ERR(value);
	}
	ret = ocfs2_xattr_change(inode, acl_index(type), "", value, size, 0);
	kfree(value);
	/* removing what is not there */
	if (ret == -ENODATA && !acl)
		ret = 0;
	if (!ret)
		set_cached_acl(inode, type, acl);
	return ret;
}

static void set_mode(struct inode *inode, struct ocfs2_dinode *di, void *arg)
{
	struct timespec64 a, m, c;

	inode->i_mode = *(umode_t *)arg;
	kc_inode_get_times(inode, &a, &m, &c);
	ktime_get_coarse_real_ts64(&c);
	kc_inode_set_times(inode, a, m, c);
}

/*
 * An access ACL the mode bits say all of is kept as the mode alone, and
 * the group bits follow the mask.  The mode is stored first, then the
 * ACL, in two transactions as stock does.
 */
static int set_access(struct kc_idmap *idmap, struct inode *inode,
		      struct posix_acl *acl)
{
	umode_t mode = inode->i_mode;
	int ret;

	if (acl) {
		ret = posix_acl_update_mode(idmap, inode, &mode, &acl);
		if (ret)
			return ret;
	}
	if (mode != inode->i_mode) {
		ret = ocfs2_update_inode(inode, set_mode, &mode);
		if (ret)
			return ret;
	}
	return write_acl(inode, ACL_TYPE_ACCESS, acl);
}

/* ->set_acl: the VFS checked the caller and the ACL */
int ocfs2_set_acl(struct kc_idmap *idmap, struct kc_acl_target *target,
		  struct posix_acl *acl, int type)
{
	struct inode *inode = kc_acl_inode(target);

	if (S_ISLNK(inode->i_mode))
		return -EOPNOTSUPP;
	if (!IS_POSIXACL(inode))
		return -EOPNOTSUPP;
	if (type == ACL_TYPE_ACCESS)
		return set_access(idmap, inode, acl);
	if (type != ACL_TYPE_DEFAULT)
		return -EINVAL;
	if (!S_ISDIR(inode->i_mode))
		return acl ? -EACCES : 0;
	return write_acl(inode, type, acl);
}

/* After a mode change: the access ACL's owner, mask and other follow. */
int ocfs2_acl_chmod(struct inode *inode)
{
	struct posix_acl *acl;
	int ret;

	if (!IS_POSIXACL(inode) || S_ISLNK(inode->i_mode))
		return 0;
	acl = read_acl(inode, ACL_TYPE_ACCESS);
	if (IS_ERR_OR_NULL(acl))
		return PTR_ERR_OR_ZERO(acl);
	ret = __posix_acl_chmod(&acl, GFP_NOFS, inode->i_mode);
	if (!ret)
		ret = write_acl(inode, ACL_TYPE_ACCESS, acl);
	posix_acl_release(acl);
	return ret;
}

/* The disk forms of a new inode's ACLs, as items for xattr_set.c. */
static int new_acl_items(const struct ocfs2_new_acls *na,
			 struct xattr_set_list *l,
			 struct xattr_item *items)
{
	static const int types[2] = { ACL_TYPE_ACCESS, ACL_TYPE_DEFAULT };
	unsigned int i;

	memset(l, 0, sizeof(*l));
	l->items = items;
	for (i = 0; i < 2; i++) {
		struct xattr_item *it = &items[l->count];

		if (!na->value[i])
			continue;
		it->name = (const u8 *)"";
		it->index = acl_index(types[i]);
		it->val = na->value[i];
		it->vsize = na->size[i];
		it->local = na->size[i] <= OCFS2_XATTR_INLINE_SIZE;
		l->count++;
	}
	l->cap = l->count;
	return l->count;
}

static int new_acl_value(struct ocfs2_new_acls *na, int i,
			 struct posix_acl *acl)
{
	void *value;

	if (!acl)
		return 0;
	value = acl_to_disk(acl, &na->size[i]);
	if (IS_ERR(value))
		return PTR_ERR(value);
	na->value[i] = value;
	return 0;
}

/*
 * Before a create in @dir (its meta lock held): the ACLs the new inode
 * inherits and its mode masked by them (or by the umask when @dir has no
 * default ACL), and whether they can be written with the inode.
 */
int ocfs2_acl_prepare(struct inode *dir, umode_t *mode,
		      struct ocfs2_new_acls *na)
{
	struct xattr_item items[2];
	struct xattr_set_list l;
	int ret;

	memset(na, 0, sizeof(*na));
	ret = posix_acl_create(dir, mode, &na->dflt, &na->acl);
	if (ret)
		return ret;
	ret = new_acl_value(na, 0, na->acl);
	if (!ret && S_ISDIR(*mode))
		ret = new_acl_value(na, 1, na->dflt);
	if (ret || !new_acl_items(na, &l, items))
		return ret;
	ret = ocfs2_xattr_new_needs_block(dir->i_sb, *mode, &l);
	if (ret >= 0) {
		na->in_trans = true;
		na->block = ret;
		ret = 0;
	} else if (ret == -EFBIG) {
		ret = 0;	/* written after the create */
	}
	return ret;
}

/* What the create must lock for them (alloc_lock.c). */
unsigned int ocfs2_acl_create_allocs(const struct ocfs2_new_acls *na)
{
	return na && na->in_trans && na->block ? OCFS2_AL_DATA : 0;
}

/*
 * First in the create's transaction, before the inode's own bit: the
 * xattr block the ACLs need (*@bhp, NULL if none), so a full disk fails
 * the create cleanly.  ocfs2_acl_unclaim_block() gives it back if the
 * create cannot go on.
 */
int ocfs2_acl_claim_block(handle_t *handle, struct super_block *sb,
			  const struct ocfs2_new_acls *na,
			  struct buffer_head **bhp)
{
	*bhp = NULL;
	if (!na || !na->in_trans || !na->block)
		return 0;
	return ocfs2_xattr_new_block(handle, sb, bhp);
}

int ocfs2_acl_unclaim_block(handle_t *handle, struct super_block *sb,
			    struct buffer_head **bhp)
{
	int ret;

	if (!*bhp)
		return 0;
	ret = ocfs2_xattr_drop_new_block(handle, sb, *bhp);
	brelse(*bhp);
	*bhp = NULL;
	return ret;
}

/* In the create's transaction: the ACLs into the new dinode. */
int ocfs2_acl_init_dinode(handle_t *handle, struct super_block *sb,
			  struct ocfs2_dinode *di,
			  const struct ocfs2_new_acls *na,
			  struct buffer_head *bh)
{
	struct xattr_item items[2];
	struct xattr_set_list l;

	if (!na || !na->in_trans || !new_acl_items(na, &l, items))
		return 0;
	return ocfs2_xattr_new_inode(handle, sb, di, &l, bh);
}

/*
 * After the create: ACLs too large to go in with it (values over 80
 * bytes go out of line, which the create does not allocate) are written
 * now, in transactions of their own; until then the inode has the masked
 * mode alone.
 */
int ocfs2_acl_after_create(struct inode *inode, struct ocfs2_new_acls *na)
{
	int ret = 0;

	if (!na->in_trans && na->acl)
		ret = write_acl(inode, ACL_TYPE_ACCESS, na->acl);
	if (!ret && !na->in_trans && na->dflt && S_ISDIR(inode->i_mode))
		ret = write_acl(inode, ACL_TYPE_DEFAULT, na->dflt);
	if (!ret && na->in_trans) {
		set_cached_acl(inode, ACL_TYPE_ACCESS, na->acl);
		if (S_ISDIR(inode->i_mode))
			set_cached_acl(inode, ACL_TYPE_DEFAULT, na->dflt);
	}
	return ret;
}

void ocfs2_acl_release(struct ocfs2_new_acls *na)
{
	posix_acl_release(na->acl);
	posix_acl_release(na->dflt);
	kfree(na->value[0]);
	kfree(na->value[1]);
	memset(na, 0, sizeof(*na));
}
