// SPDX-License-Identifier: GPL-2.0
/*
 * Feature checks at mount: every feature bit the volume sets must be one
 * this module handles, and a refusal names the features by their tool
 * names (the same list mkfs, tunefs and fsck use) so the admin knows what
 * to change.
 */
#include <linux/string.h>
#include "ocfs2.h"

struct feature_name {
	int		word;		/* 0 compat, 1 incompat, 2 ro_compat */
	u32		bit;
	const char	*name;
};

#define FEATURE_ENTRY(w, n, b, s, supp) \
	{ OCFS2_FEATURE_WORD_##w, b, s },
static const struct feature_name feature_names[] = {
	OCFS2_FEATURE_LIST(FEATURE_ENTRY)
};
#undef FEATURE_ENTRY

static const char * const word_names[] = { "compat", "incompat", "ro_compat" };

/* Log every bit of @bits in @word by name; unnamed bits in hex. */
static void name_features(struct super_block *sb, int word, u32 bits,
			  const char *why)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(feature_names); i++) {
		if (feature_names[i].word != word ||
		    !(bits & feature_names[i].bit))
			continue;
		ocfs2_err(sb, "%s feature \"%s\" %s",
			  word_names[word], feature_names[i].name, why);
		bits &= ~feature_names[i].bit;
	}
	if (bits)
		ocfs2_err(sb, "unknown %s feature bits 0x%x %s",
			  word_names[word], bits, why);
}

int ocfs2_check_features(struct super_block *sb, bool read_only)
{
	struct ocfs2_sb_info *osb = OCFS2_SB(sb);
	u32 incompat = osb->incompat & ~OCFS2_FEATURE_INCOMPAT_SUPP;
	u32 ro_compat = osb->ro_compat & ~OCFS2_FEATURE_RO_COMPAT_SUPP;

	if (incompat) {
		name_features(sb, 1, incompat, "is not supported");
		return -EOPNOTSUPP;
	}
	if (ro_compat && !read_only) {
		name_features(sb, 2, ro_compat,
			      "is not supported for writing; mount read-only");
		return -EOPNOTSUPP;
	}
	return 0;
}
