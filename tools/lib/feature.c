// SPDX-License-Identifier: GPL-2.0
/*
 * Feature names and feature levels, from the one list in ocfs2_fs.h.
 */
#include <stdio.h>
#include <string.h>
#include "libocfs2.h"

struct feature_desc {
	int word;		/* 0 compat, 1 incompat, 2 ro_compat */
	u32 bit;
	const char *name;
};

#define FEATURE_ENTRY(w, nm, b, str, supp) \
	{ OCFS2_FEATURE_WORD_##w, b, str },
static const struct feature_desc features[] = {
	OCFS2_FEATURE_LIST(FEATURE_ENTRY)
};
#undef FEATURE_ENTRY
#define NFEATURES (sizeof(features) / sizeof(features[0]))

static u32 *word_of(struct ocfs2_features *f, int word)
{
	return word == 0 ? &f->compat : word == 1 ? &f->incompat :
			   &f->ro_compat;
}

const char *ocfs2_feature_name(int word, u32 bit)
{
	size_t i;

	for (i = 0; i < NFEATURES; i++)
		if (features[i].word == word && features[i].bit == bit)
			return features[i].name;
	return NULL;
}

/* The levels stock mkfs.ocfs2 1.8 offers. */
int ocfs2_feature_level(const char *name, struct ocfs2_features *f)
{
	memset(f, 0, sizeof(*f));
	f->compat = OCFS2_FEATURE_COMPAT_BACKUP_SB |
		    OCFS2_FEATURE_COMPAT_JBD2_SB;
	if (!strcmp(name, "max-compat"))
		return 0;
	f->incompat = OCFS2_FEATURE_INCOMPAT_SPARSE_ALLOC |
		      OCFS2_FEATURE_INCOMPAT_EXTENDED_SLOT_MAP |
		      OCFS2_FEATURE_INCOMPAT_INLINE_DATA |
		      OCFS2_FEATURE_INCOMPAT_XATTR |
		      OCFS2_FEATURE_INCOMPAT_INDEXED_DIRS |
		      OCFS2_FEATURE_INCOMPAT_REFCOUNT_TREE |
		      OCFS2_FEATURE_INCOMPAT_DISCONTIG_BG |
		      OCFS2_FEATURE_INCOMPAT_APPEND_DIO;
	f->ro_compat = OCFS2_FEATURE_RO_COMPAT_UNWRITTEN;
	if (!strcmp(name, "default"))
		return 0;
	if (!strcmp(name, "max-features")) {
		f->incompat |= OCFS2_FEATURE_INCOMPAT_META_ECC;
		f->ro_compat |= OCFS2_FEATURE_RO_COMPAT_USRQUOTA |
				OCFS2_FEATURE_RO_COMPAT_GRPQUOTA;
		return 0;
	}
	return -EINVAL;
}

static int parse_one(const char *tok, size_t len, struct ocfs2_features *set,
		     struct ocfs2_features *clear)
{
	struct ocfs2_features *dst = set;
	size_t i;

	if (len > 2 && !strncmp(tok, "no", 2)) {
		tok += 2;
		len -= 2;
		dst = clear;
	}
	for (i = 0; i < NFEATURES; i++) {
		if (strlen(features[i].name) != len ||
		    strncmp(features[i].name, tok, len))
			continue;
		*word_of(dst, features[i].word) |= features[i].bit;
		return 0;
	}
	return -EINVAL;
}

/* "a,nob,c" -> bits to set and bits to clear; *bad names a bad token. */
int ocfs2_parse_features(const char *list, struct ocfs2_features *set,
			 struct ocfs2_features *clear, const char **bad)
{
	const char *p = list;

	memset(set, 0, sizeof(*set));
	memset(clear, 0, sizeof(*clear));
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len && parse_one(p, len, set, clear)) {
			*bad = p;
			return -EINVAL;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Space-separated names of the bits of @word set in @bits. */
int ocfs2_feature_string(char *buf, size_t len, int word, u32 bits)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NFEATURES && off < len; i++) {
		if (features[i].word != word || !(bits & features[i].bit))
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? " " : "",
				features[i].name);
	}
	return 0;
}

/* Names of every bit set in @f, across words, in the stock order. */
int ocfs2_feature_string_all(char *buf, size_t len,
			     const struct ocfs2_features *f)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < NFEATURES && off < len; i++) {
		const u32 *w = features[i].word == 0 ? &f->compat :
			       features[i].word == 1 ? &f->incompat :
			       &f->ro_compat;

		if (!(*w & features[i].bit))
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? " " : "",
				features[i].name);
	}
	return 0;
}
