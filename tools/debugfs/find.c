// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.ocfs2 commands that map between names, inodes, lock names and
 * blocks: encode, bmap, frag, findpath/locate/ncheck and icheck.  Output
 * as stock debugfs.ocfs2 prints it.
 */
#include <stdlib.h>
#include <string.h>
#include "debugfs.h"

static bool parse_u64(const char *s, u64 *v)
{
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoull(s, &end, 0);
	return !*end;
}

/* "<123>": an inode number as the name commands take it */
static bool parse_ino(const char *s, u64 *v)
{
	char buf[32];
	size_t n = strlen(s);

	if (n < 3 || n >= sizeof(buf) || s[0] != '<' || s[n - 1] != '>')
		return false;
	memcpy(buf, s + 1, n - 2);
	buf[n - 2] = '\0';
	return parse_u64(buf, v);
}

/*
 * Stock's "<blkno> ..." arguments: taken up to the first that is not one;
 * none at all is a usage error, one past the volume an error.  Returns how
 * many were taken (at most @max), or < 0.
 */
int dbg_inode_args(int argc, char **argv, int max, u64 *out)
{
	int i, n = 0;

	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	for (i = 1; i < argc && n < max && parse_ino(argv[i], &out[n]); i++) {
		if (out[n] >= dbg.fs->blocks) {
			fprintf(stderr, "%s: Invalid block number - %llu\n",
				argv[0], (unsigned long long)out[n]);
			return -EINVAL;
		}
		n++;
	}
	if (!n) {
		fprintf(stderr, "usage: %s <inode#>\n", argv[0]);
		return -EINVAL;
	}
	return n;
}

/* Stock's one <filespec> argument, resolved and inside the volume. */
int dbg_inode_spec(int argc, char **argv, u64 *ino)
{
	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	if (argc < 2) {
		fprintf(stderr, "usage: %s <filespec>\n", argv[0]);
		return -EINVAL;
	}
	if (dbg_resolve(argv[0], argv[1], ino))
		return -ENOENT;
	if (*ino >= dbg.fs->blocks) {
		fprintf(stderr, "%s: Invalid block number - %llu\n", argv[0],
			(unsigned long long)*ino);
		return -EINVAL;
	}
	return 0;
}

#define MAX_INODE_ARGS	50	/* as many as stock takes */

/* decode: each "<blkno>" argument and the block it names */
int dbg_cmd_decode(int argc, char **argv)
{
	u64 blk[MAX_INODE_ARGS];
	int i, n = dbg_inode_args(argc, argv, MAX_INODE_ARGS, blk);

	for (i = 0; i < n; i++)
		printf("\t%s\t%llu\n", argv[i + 1], (unsigned long long)blk[i]);
	return n < 0 ? n : 0;
}

/*
 * How the <filespec> commands start: a volume open, the arguments they
 * need (@args_ok, else @usage), the filespec resolved and its inode read.
 * NULL, having said why, when any of it fails.
 */
static struct ocfs2_dinode *spec_inode(int argc, char **argv, bool args_ok,
				       const char *usage, u64 *ino)
{
	if (dbg_need_fs(argv[0]))
		return NULL;
	if (argc < 2 || !args_ok) {
		fprintf(stderr, "usage: %s\n", usage);
		return NULL;
	}
	if (dbg_resolve(argv[0], argv[1], ino))
		return NULL;
	return dbg_read_inode(argv[0], *ino);
}

/* The inode lock name; stock debugfs puts generation 0 in it. */
int dbg_cmd_encode(int argc, char **argv)
{
	struct ocfs2_dinode *di;
	u64 ino;

	di = spec_inode(argc, argv, true, "encode <filespec>", &ino);
	if (!di)
		return -EINVAL;
	printf("\t%c%s%016llx%08x \n", 'M', "000000",
	       (unsigned long long)ino, 0);
	free(di);
	return 0;
}

int dbg_cmd_bmap(int argc, char **argv)
{
	struct ocfs2_dinode *di;
	u64 ino, lblk = 0, pblk = 0;
	u32 bpc, contig;
	u8 flags;

	di = spec_inode(argc, argv, argc >= 3 && parse_u64(argv[2], &lblk),
			"usage: bmap <filespec> <logical_blk>", &ino);
	if (!di)
		return -EINVAL;
	bpc = dbg.fs->cs >> dbg.fs->bbits;
	/* past the end of the file: no block, even in an allocated cluster */
	if (lblk < (le64_to_cpu(di->i_size) + dbg.fs->bs - 1) >> dbg.fs->bbits &&
	    ocfs2_has_extent_list(di) && lblk / bpc <= 0xffffffffULL &&
	    !ocfs2_extent_map(dbg.fs, &di->id2.i_list, (u32)(lblk / bpc),
			      &pblk, &contig, &flags) && pblk)
		pblk += lblk % bpc;
	printf("\t%llu\n", (unsigned long long)pblk);
	free(di);
	return 0;
}

struct frag {
	u32 clusters, extents;
};

static int frag_rec(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
		    int depth, u64 owner, void *data)
{
	struct frag *f = data;

	(void)fs; (void)owner;
	if (!depth) {
		f->clusters += le16_to_cpu(r->e_leaf_clusters);
		f->extents++;
	}
	return 0;
}

/* Extents per cluster: as a percentage, and as a score (x 25600). */
int dbg_cmd_frag(int argc, char **argv)
{
	struct frag f = { 0, 0 };
	struct ocfs2_dinode *di;
	u16 fmt;
	u64 ino;

	di = spec_inode(argc, argv, true, "frag <filespec>", &ino);
	if (!di)
		return -EINVAL;
	fmt = le16_to_cpu(di->i_mode) & 0170000;
	if (le32_to_cpu(di->i_flags) & OCFS2_CHAIN_FL) {
		/* stock reads an allocator's chain list as an extent list */
		fprintf(stderr, "%s: Bad magic number in extent block while traversing inode at block %llu\n",
			argv[0], (unsigned long long)ino);
		free(di);
		return -EUCLEAN;
	}
	if (ocfs2_has_extent_list(di) &&
	    ocfs2_extent_iterate(dbg.fs, &di->id2.i_list, ino, frag_rec, &f)) {
		fprintf(stderr, "%s: Invalid block number while traversing inode at block %llu\n",
			argv[0], (unsigned long long)ino);
		free(di);
		return -EUCLEAN;
	}
	if (fmt == 0120000 && !le32_to_cpu(di->i_clusters)) {
		/* stock reads a fast symlink's text as an extent list */
		fprintf(stderr, "%s: Invalid block number while traversing inode at block %llu\n",
			argv[0], (unsigned long long)ino);
		free(di);
		return -EUCLEAN;
	}
	/* one cluster cannot be fragmented; the score counts 4K units */
	printf("Inode: %llu\t%% fragmented: %.2f\tclusters: %u\textents: %u\tscore: %.0f\n",
	       (unsigned long long)ino,
	       f.clusters > 1 ? 100.0 * f.extents / f.clusters : 0.0,
	       f.clusters, f.extents, f.clusters > 1 ?
	       25600.0 * f.extents / ((double)f.clusters *
				      (dbg.fs->cs >> 12)) : 0.0);
	free(di);
	return 0;
}

/* ---- names of inodes: a depth-first walk of / and then // ---- */

struct names {
	u64 *want;
	int nwant;
	bool first_only;	/* findpath: stop at the first name */
	bool done;
	int found;
	u64 *seen;		/* directories entered, against loops */
	size_t nseen, cap;
};

/* As stock: each name as the walk meets it, in walk order. */
static void add_name(struct names *n, u64 ino, const char *path)
{
	int i;

	if (n->done)
		return;
	for (i = 0; i < n->nwant; i++) {
		if (n->want[i] != ino)
			continue;
		printf("\t%llu\t%s\n", (unsigned long long)ino, path);
		n->found++;
		if (n->first_only)
			n->done = true;
		return;
	}
}

static bool enter_dir(struct names *n, u64 ino)
{
	size_t i;
	u64 *p;

	for (i = 0; i < n->nseen; i++)
		if (n->seen[i] == ino)
			return false;
	if (n->nseen == n->cap) {
		p = realloc(n->seen, (n->cap ? n->cap * 2 : 64) * sizeof(*p));
		if (!p)
			return false;
		n->seen = p;
		n->cap = n->cap ? n->cap * 2 : 64;
	}
	n->seen[n->nseen++] = ino;
	return true;
}

static void walk_dir(struct names *n, u64 dir, const char *path);

struct walk_ctx {
	struct names *n;
	const char *path;
	u64 *subs;		/* entries, in order: dirs are entered after */
	char **subnames;
	u8 *isdir;
	size_t count, cap;
};

static int collect(struct ocfs2_fs *fs, struct ocfs2_dir_entry *de, u64 blkno,
		   unsigned int off, void *data)
{
	struct walk_ctx *w = data;

	(void)fs; (void)blkno; (void)off;
	if ((de->name_len == 1 && de->name[0] == '.') ||
	    (de->name_len == 2 && !memcmp(de->name, "..", 2)))
		return 0;
	if (w->count == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 32;
		u64 *s = realloc(w->subs, cap * sizeof(*s));
		char **nm = realloc(w->subnames, cap * sizeof(*nm));
		u8 *d = realloc(w->isdir, cap);

		if (s)
			w->subs = s;
		if (nm)
			w->subnames = nm;
		if (d)
			w->isdir = d;
		if (!s || !nm || !d)
			return -ENOMEM;
		w->cap = cap;
	}
	w->subs[w->count] = le64_to_cpu(de->inode);
	w->subnames[w->count] = strndup(de->name, de->name_len);
	w->isdir[w->count] = de->file_type == OCFS2_FT_DIR;
	w->count++;
	return 0;
}

static void walk_dir(struct names *n, u64 dir, const char *path)
{
	struct ocfs2_dinode *di = io_alloc(dbg.fs->bs);
	struct walk_ctx w = { .n = n, .path = path };
	size_t i;

	if (!di || ocfs2_read_inode(dbg.fs, dir, di) || !enter_dir(n, dir))
		goto out;
	ocfs2_dir_iterate(dbg.fs, di, collect, &w);
	for (i = 0; i < w.count; i++) {
		size_t len = strlen(path) + strlen(w.subnames[i] ?: "") + 2;
		char *p = malloc(len);

		if (!p || !w.subnames[i] || n->done) {
			free(p);
			continue;
		}
		snprintf(p, len, "%s%s%s", path, w.subnames[i],
			 w.isdir[i] ? "/" : "");
		add_name(n, w.subs[i], p);
		if (w.isdir[i])
			walk_dir(n, w.subs[i], p);
		free(p);
	}
out:
	for (i = 0; i < w.count; i++)
		free(w.subnames[i]);
	free(w.subs);
	free(w.subnames);
	free(w.isdir);
	free(di);
}

static int names_cmd(int argc, char **argv, bool first_only)
{
	struct names n = { .first_only = first_only };
	u64 root, sysdir;
	int i, ret = 0;

	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	n.want = calloc(argc, sizeof(*n.want));
	if (!n.want)
		return -ENOMEM;
	for (i = 1; i < argc && (!first_only || i < 2); i++) {
		if (!parse_ino(argv[i], &n.want[n.nwant])) {
			fprintf(stderr, "usage: %s <inode#>\n", argv[0]);
			ret = -EINVAL;
			goto out;
		}
		if (n.want[n.nwant] >= dbg.fs->blocks) {
			fprintf(stderr, "%s: Invalid block number - %llu\n",
				argv[0], (unsigned long long)n.want[n.nwant]);
			ret = -EINVAL;
			goto out;
		}
		n.nwant++;
	}
	if (!n.nwant) {
		fprintf(stderr, "usage: %s <inode#>\n", argv[0]);
		ret = -EINVAL;
		goto out;
	}
	root = le64_to_cpu(dbg.fs->sb->s_root_blkno);
	sysdir = le64_to_cpu(dbg.fs->sb->s_system_dir_blkno);
	add_name(&n, root, "/");
	add_name(&n, sysdir, "//");
	walk_dir(&n, root, "/");
	walk_dir(&n, sysdir, "//");
	if (!n.found) {
		fprintf(stderr, "%s: Directory entry not found  \n", argv[0]);
		ret = -ENOENT;
	}
out:
	free(n.want);
	free(n.seen);
	return ret;
}

int dbg_cmd_findpath(int argc, char **argv)
{
	return names_cmd(argc, argv, true);
}

int dbg_cmd_locate(int argc, char **argv)
{
	return names_cmd(argc, argv, false);
}

/* ---- icheck: which inode uses each block ---- */

struct owner {
	u64 blk, ino, off;
	int state;		/* 0 none, 1 inode (no offset), 2 data */
};

struct icheck {
	struct owner *o;
	int n;
	u64 ino;
	u32 bpc;
};

static void claim(struct icheck *ic, u64 start, u64 count, u64 lstart,
		  bool data)
{
	int i;

	for (i = 0; i < ic->n; i++) {
		struct owner *o = &ic->o[i];

		if (o->state || o->blk < start || o->blk >= start + count)
			continue;
		o->ino = ic->ino;
		o->state = data ? 2 : 1;
		o->off = lstart + (o->blk - start);
	}
}

static int icheck_rec(struct ocfs2_fs *fs, const struct ocfs2_extent_rec *r,
		      int depth, u64 owner, void *data)
{
	struct icheck *ic = data;

	(void)fs; (void)owner;
	if (depth)
		claim(ic, le64_to_cpu(r->e_blkno), 1, 0, false);
	else
		claim(ic, le64_to_cpu(r->e_blkno),
		      (u64)le16_to_cpu(r->e_leaf_clusters) * ic->bpc,
		      (u64)le32_to_cpu(r->e_cpos) * ic->bpc, true);
	return 0;
}

static int icheck_group(struct ocfs2_fs *fs, int chain,
			struct ocfs2_group_desc *gd, void *data)
{
	(void)fs; (void)chain;
	claim(data, le64_to_cpu(gd->bg_blkno), 1, 0, false);
	return 0;
}

static void icheck_inode(struct icheck *ic, struct ocfs2_dinode *di)
{
	ic->ino = le64_to_cpu(di->i_blkno);
	claim(ic, ic->ino, 1, 0, false);
	if (le32_to_cpu(di->i_flags) & OCFS2_CHAIN_FL) {
		ocfs2_chain_iterate(dbg.fs, di, icheck_group, ic);
		return;
	}
	if (!ocfs2_has_extent_list(di))
		return;
	ocfs2_extent_iterate(dbg.fs, &di->id2.i_list, ic->ino, icheck_rec, ic);
}

struct inode_scan {
	struct icheck *ic;
	struct ocfs2_dinode *di;
};

/* Every allocated block of an inode allocator group that is an inode. */
static int scan_group(struct ocfs2_fs *fs, int chain,
		      struct ocfs2_group_desc *gd, void *data)
{
	struct inode_scan *s = data;
	unsigned int bit;

	(void)chain;
	for (bit = 0; bit < le16_to_cpu(gd->bg_bits); bit++) {
		u64 blk = le64_to_cpu(gd->bg_blkno) + bit;

		if (!ocfs2_group_test_bit(gd, bit) ||
		    ocfs2_read_inode(fs, blk, s->di))
			continue;
		icheck_inode(s->ic, s->di);
	}
	return 0;
}

static void scan_inodes(struct icheck *ic)
{
	struct inode_scan s = { ic, io_alloc(dbg.fs->bs) };
	struct ocfs2_dinode *alloc = io_alloc(dbg.fs->bs);
	int slot, slots = le16_to_cpu(dbg.fs->sb->s_max_slots);
	u64 blk;

	if (!s.di || !alloc)
		goto out;
	for (slot = -1; slot < slots; slot++) {
		if (ocfs2_lookup_system_inode(dbg.fs, slot < 0 ?
				GLOBAL_INODE_ALLOC_SYSTEM_INODE :
				INODE_ALLOC_SYSTEM_INODE, slot < 0 ? 0 : slot,
				&blk) ||
		    ocfs2_read_inode(dbg.fs, blk, alloc))
			continue;
		ocfs2_chain_iterate(dbg.fs, alloc, scan_group, &s);
	}
out:
	free(alloc);
	free(s.di);
}

int dbg_cmd_icheck(int argc, char **argv)
{
	struct icheck ic = { 0 };
	int i;

	if (dbg_need_fs(argv[0]))
		return -ENODEV;
	if (argc < 2) {
		fprintf(stderr, "usage: icheck block# ...\n");
		return -EINVAL;
	}
	ic.o = calloc(argc, sizeof(*ic.o));
	if (!ic.o)
		return -ENOMEM;
	for (i = 1; i < argc; i++) {
		if (!parse_u64(argv[i], &ic.o[ic.n].blk) ||
		    ic.o[ic.n].blk >= dbg.fs->blocks) {
			fprintf(stderr, "%s: Invalid block number - %s\n",
				argv[0], argv[i]);
			free(ic.o);
			return -EINVAL;
		}
		ic.n++;
	}
	ic.bpc = dbg.fs->cs >> dbg.fs->bbits;
	ic.ino = OCFS2_SUPER_BLOCK_BLKNO;	/* it owns the blocks before it */
	claim(&ic, 0, OCFS2_SUPER_BLOCK_BLKNO + 1, 0, false);
	scan_inodes(&ic);
	printf("\t%-18s%-18s%-15s\n", "Block#", "Inode", "Block Offset");
	for (i = 0; i < ic.n; i++) {
		struct owner *o = &ic.o[i];
		char ino[24], off[24] = "";
		bool used = false;

		if (o->state) {
			snprintf(ino, sizeof(ino), "%llu",
				 (unsigned long long)o->ino);
			if (o->state == 2)
				snprintf(off, sizeof(off), "%llu",
					 (unsigned long long)o->off);
		} else {
			ocfs2_cluster_test(dbg.fs, ocfs2_blocks_to_clusters(dbg.fs, o->blk),
					   &used);
			snprintf(ino, sizeof(ino), "%s", used ? "Unknown" : "Unused");
		}
		printf("\t%-18llu%-18s%-15s\n", (unsigned long long)o->blk,
		       ino, off);
	}
	free(ic.o);
	return 0;
}
