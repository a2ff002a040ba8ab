#!/usr/bin/env python3
# Sends one ICMP echo request out of eth0 with a packet socket, below the host's IP stack, so
# its IPv4 header checksum can be made wrong on purpose: `send-icmp.py SRC DST good|bad`.
# (A raw IP socket would not do: Linux always fills in the header checksum for those.)
import socket, struct, sys

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff

src, dst, how = sys.argv[1], sys.argv[2], sys.argv[3]
icmp = struct.pack('!BBHHH', 8, 0, 0, 0x7a11, 1) + b'vpclab-checksum'
icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0, socket.inet_aton(src), socket.inet_aton(dst))
c = csum(hdr)
if how == 'bad':
    c = (c + 1) & 0xffff
hdr = hdr[:10] + struct.pack('!H', c) + hdr[12:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
s.sendto(hdr + icmp, ('eth0', 0x0800))
