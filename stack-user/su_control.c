// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ocfs2_control: how a cluster control daemon (ocfs2_controld)
 * tells the kernel this node's number, the locking protocol the cluster
 * runs and which nodes died, protocol "T01" as stock speaks it.
 *
 * Per open file: read the protocol list to EOF, write "T01\n", then
 * SETN and SETV (either order; the handle becomes valid once both are
 * in and agree with every other valid handle), then DOWN messages.
 * Every write is exactly one message; anything else is -EINVAL, numbers
 * out of range -ERANGE, and nothing a writer says can hurt the kernel.
 * Losing the last valid handle while a connection depends on the daemon
 * for node-down events means recovery can no longer be driven: like
 * stock, the node restarts at once rather than risk the shared disk.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <ocfs2/stack_user_fmt.h>

#include "su_internal.h"

enum su_handshake {
	SU_HS_OPENED,		/* must read the protocol list */
	SU_HS_READ,		/* must write "T01\n" */
	SU_HS_PROTOCOL,		/* takes SETN and SETV */
	SU_HS_VALID,		/* takes DOWN */
};

struct su_control_file {
	enum su_handshake		cf_state;
	int				cf_node;	/* -1 until SETN */
	struct ocfs2_protocol_version	cf_proto;	/* 0.0 until SETV */
};

/* under su_lock: what the valid handles agreed on */
static unsigned int su_control_valid;
static int su_control_node = -1;
static struct ocfs2_protocol_version su_control_proto;

bool su_controld_running(void)
{
	return su_control_valid > 0;
}

int su_controld_this_node(void)
{
	int node;

	mutex_lock(&su_lock);
	node = su_control_node;
	mutex_unlock(&su_lock);
	return node < 0 ? -EINVAL : node;
}

/* the protocol a daemon set, if one did */
bool su_controld_proto(struct ocfs2_protocol_version *pv)
{
	bool set;

	mutex_lock(&su_lock);
	set = su_control_valid && su_control_proto.pv_major;
	if (set)
		*pv = su_control_proto;
	mutex_unlock(&su_lock);
	return set;
}

/* fixed-width upper- or lower-case hex, every character a digit */
static int su_parse_hex(const char *s, int len, unsigned long *val)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < len; i++) {
		if (!isxdigit(s[i]))
			return -EINVAL;
		v = (v << 4) | hex_to_bin(s[i]);
	}
	*val = v;
	return 0;
}

static int su_parse_node(const char *s, int *node)
{
	unsigned long v;

	if (su_parse_hex(s, OCFS2_CONTROL_NODENUM_LEN, &v))
		return -EINVAL;
	if (v > INT_MAX)
		return -ERANGE;
	*node = v;
	return 0;
}

/*
 * Each number must agree with what the valid handles set as soon as it
 * arrives (as stock checks); the handle becomes valid once both are in.
 */
static int su_control_try_validate(struct su_control_file *cf)
{
	int ret = 0;

	mutex_lock(&su_lock);
	if (cf->cf_node >= 0 && su_control_node >= 0 &&
	    su_control_node != cf->cf_node) {
		pr_err("ocfs2_control: node %d does not match the %d another handle set\n",
		       cf->cf_node, su_control_node);
		ret = -EINVAL;
	} else if (cf->cf_proto.pv_major && su_control_valid &&
		   (su_control_proto.pv_major != cf->cf_proto.pv_major ||
		    su_control_proto.pv_minor != cf->cf_proto.pv_minor)) {
		pr_err("ocfs2_control: protocol %u.%u does not match the running %u.%u\n",
		       cf->cf_proto.pv_major, cf->cf_proto.pv_minor,
		       su_control_proto.pv_major, su_control_proto.pv_minor);
		ret = -EINVAL;
	} else if (cf->cf_node >= 0 && cf->cf_proto.pv_major) {
		su_control_node = cf->cf_node;
		su_control_proto = cf->cf_proto;
		su_control_valid++;
		cf->cf_state = SU_HS_VALID;
	}
	mutex_unlock(&su_lock);
	return ret;
}

static int su_control_setn(struct su_control_file *cf, const char *buf)
{
	const struct ocfs2_control_setn *m = (const void *)buf;
	int node, ret;

	if (cf->cf_state != SU_HS_PROTOCOL || cf->cf_node >= 0)
		return -EINVAL;
	if (m->space != ' ' || m->newline != '\n')
		return -EINVAL;
	ret = su_parse_node(m->node, &node);
	if (ret)
		return ret;
	cf->cf_node = node;
	ret = su_control_try_validate(cf);
	if (ret)
		cf->cf_node = -1;
	return ret;
}

static int su_control_setv(struct su_control_file *cf, const char *buf)
{
	const struct ocfs2_control_setv *m = (const void *)buf;
	struct ocfs2_protocol_version *max = &su_plugin.sp_max_proto;
	unsigned long major, minor;
	int ret;

	if (cf->cf_state != SU_HS_PROTOCOL || cf->cf_proto.pv_major)
		return -EINVAL;
	if (m->space1 != ' ' || m->space2 != ' ' || m->newline != '\n')
		return -EINVAL;
	if (su_parse_hex(m->major, OCFS2_CONTROL_VERNUM_LEN, &major) ||
	    su_parse_hex(m->minor, OCFS2_CONTROL_VERNUM_LEN, &minor))
		return -EINVAL;
	if (!major)
		return -ERANGE;
	/* the daemon may run an older minor, never a newer one */
	if (major != max->pv_major || minor > max->pv_minor) {
		pr_err("ocfs2_control: protocol %lu.%lu is not supported (max %u.%u)\n",
		       major, minor, max->pv_major, max->pv_minor);
		return -EINVAL;
	}
	cf->cf_proto.pv_major = major;
	cf->cf_proto.pv_minor = minor;
	ret = su_control_try_validate(cf);
	if (ret)
		cf->cf_proto.pv_major = cf->cf_proto.pv_minor = 0;
	return ret;
}

static int su_control_down(struct su_control_file *cf, const char *buf)
{
	const struct ocfs2_control_down *m = (const void *)buf;
	char uuid[OCFS2_CONTROL_UUID_LEN + 1];
	int node, ret;

	if (cf->cf_state != SU_HS_VALID)
		return -EINVAL;
	if (m->space1 != ' ' || m->space2 != ' ' || m->newline != '\n')
		return -EINVAL;
	ret = su_parse_node(m->node, &node);
	if (ret)
		return ret;
	/* stock BUG()s here; a daemon that says so is simply wrong */
	if (node == cf->cf_node) {
		pr_err("ocfs2_control: DOWN for this node (%d) refused\n", node);
		return -EINVAL;
	}
	memcpy(uuid, m->uuid, OCFS2_CONTROL_UUID_LEN);
	uuid[OCFS2_CONTROL_UUID_LEN] = '\0';
	/* a group not (or no longer) mounted here is not an error */
	su_node_down(uuid, node);
	return 0;
}

static int su_control_message(struct su_control_file *cf, const char *buf,
			      size_t len)
{
	if (len == OCFS2_CONTROL_SETN_LEN &&
	    !memcmp(buf, OCFS2_CONTROL_OP_SETNODE, OCFS2_CONTROL_OP_LEN))
		return su_control_setn(cf, buf);
	if (len == OCFS2_CONTROL_SETV_LEN &&
	    !memcmp(buf, OCFS2_CONTROL_OP_SETVERSION, OCFS2_CONTROL_OP_LEN))
		return su_control_setv(cf, buf);
	if (len == OCFS2_CONTROL_DOWN_LEN &&
	    !memcmp(buf, OCFS2_CONTROL_OP_DOWN, OCFS2_CONTROL_OP_LEN))
		return su_control_down(cf, buf);
	return -EINVAL;
}

static ssize_t su_control_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct su_control_file *cf = file->private_data;
	char buf[OCFS2_CONTROL_MSG_MAX];
	int ret;

	if (!count || count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;

	switch (cf->cf_state) {
	case SU_HS_READ:
		if (count != OCFS2_CONTROL_PROTO_LEN ||
		    memcmp(buf, OCFS2_CONTROL_PROTO, OCFS2_CONTROL_PROTO_LEN))
			return -EINVAL;
		cf->cf_state = SU_HS_PROTOCOL;
		return count;
	case SU_HS_PROTOCOL:
	case SU_HS_VALID:
		ret = su_control_message(cf, buf, count);
		return ret ? ret : count;
	default:
		/* the protocol list was not read first */
		return -EINVAL;
	}
}

static ssize_t su_control_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct su_control_file *cf = file->private_data;
	ssize_t ret;

	ret = simple_read_from_buffer(buf, count, ppos, OCFS2_CONTROL_PROTO,
				      OCFS2_CONTROL_PROTO_LEN);
	if (ret >= 0 && *ppos >= OCFS2_CONTROL_PROTO_LEN &&
	    cf->cf_state == SU_HS_OPENED)
		cf->cf_state = SU_HS_READ;
	return ret;
}

static bool su_conns_need_controld(void)
{
	struct su_conn *sc;

	list_for_each_entry(sc, &su_conn_list, sc_list)
		if (sc->sc_needs_controld)
			return true;
	return false;
}

static int su_control_release(struct inode *inode, struct file *file)
{
	struct su_control_file *cf = file->private_data;

	mutex_lock(&su_lock);
	if (cf->cf_state == SU_HS_VALID && !--su_control_valid) {
		if (su_conns_need_controld()) {
			pr_emerg("ocfs2_control: the control daemon went away while mounts depend on it; restarting the node to protect the shared disk\n");
			emergency_restart();
		}
		su_control_node = -1;
		su_control_proto.pv_major = su_control_proto.pv_minor = 0;
	}
	mutex_unlock(&su_lock);
	kfree(cf);
	return 0;
}

static int su_control_open(struct inode *inode, struct file *file)
{
	struct su_control_file *cf;

	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	cf->cf_state = SU_HS_OPENED;
	cf->cf_node = -1;
	file->private_data = cf;
	return 0;
}

static const struct file_operations su_control_fops = {
	.owner		= THIS_MODULE,
	.open		= su_control_open,
	.release	= su_control_release,
	.read		= su_control_read,
	.write		= su_control_write,
	.llseek		= default_llseek,
};

static struct miscdevice su_control_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ocfs2_control",
	.fops	= &su_control_fops,
};

int su_control_init(void)
{
	int ret = misc_register(&su_control_dev);

	if (ret)
		pr_err("ocfs2: cannot register /dev/ocfs2_control (%d)\n", ret);
	return ret;
}

void su_control_exit(void)
{
	misc_deregister(&su_control_dev);
}
