#!/usr/bin/env python3
"""Host tool for the fs bad-disk scenario: damage one named thing in a
populated OCFS2 image (made by 01-read-stock-volume populate), finding the
blocks with stock debugfs.ocfs2.  Prints what a mount of the result must
do: "mount-fail" (mount refused), "read-error" (mount works, some read
of the damaged object fails) or "replay" (a DIRTY journal with nothing in
it: stock replays it and mounts, also read-only, unless the device is
read-only; 02-bad-disks.sh checks both)."""
import re
import struct
import subprocess
import sys

img = sys.argv[1]
kind = sys.argv[2] if len(sys.argv) > 2 else None


def dbg(cmd):
    return subprocess.run(['/sbin/debugfs.ocfs2', '-R', cmd, img],
                          capture_output=True, text=True).stdout


bbits = int(re.search(r'Block Size Bits: (\d+)', dbg('stats')).group(1))
bs = 1 << bbits


def rd(blk):
    with open(img, 'rb') as f:
        f.seek(blk * bs)
        return bytearray(f.read(bs))


def wr(blk, data):
    with open(img, 'r+b') as f:
        f.seek(blk * bs)
        f.write(data)


def patch(blk, off, fmt, val):
    b = rd(blk)
    struct.pack_into(fmt, b, off, val)
    wr(blk, b)


def ino(path):
    return int(re.search(r'Inode: (\d+)', dbg('stat ' + path)).group(1))


def extents(path):
    out = dbg('stat ' + path)
    return [tuple(int(x) for x in m.groups()) for m in
            re.finditer(r'^\s*\d+\s+(\d+)\s+(\d+)\s+(\d+)\s+0x', out, re.M)]


def dirent_off(blk, name):
    b = rd(blk)
    off = b.find(name.encode())
    return None if off < 0 else off - 12


def dir_block_of(path, name):
    for cpos, clen, start in extents(path):
        for blk in range(start, start + clen * 8):
            if dirent_off(blk, name) is not None:
                return blk
    raise SystemExit('no dirent %s in %s' % (name, path))


SB = 2
ID2 = 0xC0


def k_sb_sig():
    patch(SB, 0, '8s', b'XXXXXXXX')
    return 'mount-fail'


def k_sb_clusters_huge():
    patch(SB, 0x14, '<I', 0xFFFFFFF0)
    return 'mount-fail'


def k_sb_root_range():
    patch(SB, ID2 + 0x28, '<Q', 1 << 40)
    return 'mount-fail'


def k_sb_unknown_incompat():
    v = struct.unpack_from('<I', rd(SB), ID2 + 0x20)[0]
    patch(SB, ID2 + 0x20, '<I', v | 0x10000 | 0x2)
    return 'mount-fail'


def k_sb_cluster():
    v = struct.unpack_from('<I', rd(SB), ID2 + 0x20)[0]
    patch(SB, ID2 + 0x20, '<I', v & ~0x8)
    return 'mount-fail'


def k_ocfs1():
    for b in range(0, 2 * 4096 // bs + 3):
        wr(b, bytearray(bs))
    patch(0, 8, '9s', b'OracleCFS')
    return 'mount-fail'


def k_journal_dirty():
    j = ino('//journal:0000')
    v = struct.unpack_from('<I', rd(j), 0xB8)[0]
    patch(j, 0xB8, '<I', v | 1)
    return 'replay'


def k_journal_missing():
    sysdir = ino('//')
    for cpos, clen, start in extents('//') or [(0, 1, sysdir)]:
        for blk in range(start, start + clen * (4096 // bs if bs < 4096 else 1) + 8):
            b = rd(blk)
            off = b.find(b'journal:0000')
            if off >= 0:
                b[off:off + 12] = b'journal:0009'
                wr(blk, b)
                return 'mount-fail'
    b = rd(sysdir)
    off = b.find(b'journal:0000')
    b[off:off + 12] = b'journal:0009'
    wr(sysdir, b)
    return 'mount-fail'


def k_root_sig():
    patch(ino('/'), 0, '8s', b'NOTINODE')
    return 'mount-fail'


def k_root_mode():
    patch(ino('/'), 0x28, '<H', 0o100644)
    return 'mount-fail'


def k_file_sig():
    patch(ino('/random_1m'), 0, '8s', b'NOTINODE')
    return 'read-error'


def k_file_mode():
    patch(ino('/bytes_5000'), 0x28, '<H', 0o170644)
    return 'read-error'


def k_inline_size():
    patch(ino('/inline_3000'), 0x20, '<Q', 5000)
    return 'read-error'


def k_fastlink_size():
    patch(ino('/link_200'), 0x20, '<Q', bs)
    return 'read-error'


def k_extent_range():
    patch(ino('/random_1m'), ID2 + 0x10 + 8, '<Q', 1 << 40)
    return 'read-error'


def k_extent_count():
    patch(ino('/fragmented'), ID2 + 2, '<H', 0xFFFF)
    return 'read-error'


def k_extent_depth():
    i = ino('/fragmented')
    depth = struct.unpack_from('<H', rd(i), ID2)[0]
    if depth:
        eb = struct.unpack_from('<Q', rd(i), ID2 + 0x10 + 8)[0]
        patch(eb, 0x30, '<H', 3)
    else:
        patch(i, ID2, '<H', 1)
    return 'read-error'


def k_dirblk_reclen():
    blk = dir_block_of('/big_dir', 'name_7')
    off = dirent_off(blk, 'file_with_a_longish_name_7')
    patch(blk, off + 8, '<H', 0)
    return 'read-error'


def k_dirent_namelen():
    blk = dir_block_of('/big_dir', 'name_9')
    off = dirent_off(blk, 'file_with_a_longish_name_9')
    patch(blk, off + 10, 'B', 255)
    return 'read-error'


def k_dirent_range():
    blk = dir_block_of('/big_dir', 'name_5')
    off = dirent_off(blk, 'file_with_a_longish_name_5')
    patch(blk, off, '<Q', 1 << 40)
    return 'read-error'


def k_dirent_to_data():
    blk = dir_block_of('/big_dir', 'name_6')
    off = dirent_off(blk, 'file_with_a_longish_name_6')
    patch(blk, off, '<Q', extents('/random_1m')[0][2])
    return 'read-error'


def k_dx_leaf_sig():
    out = dbg('dx_dump /big_dir')
    leaf = int(re.search(r'Dir Index Leaf: (\d+)', out).group(1))
    patch(leaf, 0, '8s', b'NOTALEAF')
    return 'read-error'


def k_dx_root_dir():
    root = int(re.search(r'Indexed Tree Root: (\d+)',
                         dbg('stat /big_dir')).group(1))
    patch(root, 0x30, '<Q', 12345)
    return 'read-error'


def k_inline_dir_reclen():
    i = ino('/small_dir')
    patch(i, ID2 + 8 + 8, '<H', 3)
    return 'read-error'


def k_dirent_self():
    i = ino('/small_dir')
    b = rd(i)
    off = b.find(b'\x01' + b'\x01' + b'a', ID2)  # name_len 1, type 1, "a"
    struct.pack_into('<Q', b, off - 10, i)
    wr(i, b)
    return 'read-error'


KINDS = {k[2:].replace('_', '-'): f for k, f in sorted(globals().items())
         if k.startswith('k_')}

if kind is None:
    print('\n'.join(KINDS))
else:
    print(KINDS[kind]())
