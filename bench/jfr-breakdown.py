#!/usr/bin/env python3
"""Where Herald's CPU goes, from a flight recording: execution samples by thread group, and within the request and
delivery threads by the first library (or Herald class) on the stack from the top.

    bench/jfr-breakdown.py recording.jfr
"""
import collections
import re
import subprocess
import sys

LIBRARIES = [('org.h2.', 'H2'), ('com.zaxxer.', 'H2'), ('org.apache.hc.', 'HTTP client (provider call)'),
             ('com.fasterxml.jackson', 'Jackson'), ('io.micrometer', 'Micrometer'),
             ('org.apache.logging', 'logging')]
THREAD_GROUPS = [('vert.x-worker', 'request routes (Vert.x worker)'), ('vert.x-eventloop', 'HTTP server (event loop)'),
                 ('seda://delivery', 'delivery routes (seda consumers)'), ('herald-accept-writer', 'accept group commit'),
                 ('herald-delivery-writer', 'delivery group commit'), ('-serialization', 'H2 background serialization'),
                 ('H2', 'H2 other'), ('MVStore', 'H2 other'), ('WireTap', 'hand-over (wireTap)')]


def group(thread):
    for key, name in THREAD_GROUPS:
        if key in thread:
            return name
    return 'other: ' + re.sub(r'\d+', '#', thread)


def first_owner(frames):
    for frame in frames:
        for prefix, name in LIBRARIES:
            if frame.startswith(prefix):
                return name
        if frame.startswith('io.herald.'):
            return 'Herald: ' + frame.rsplit('.', 1)[0].rsplit('.', 1)[-1]
    return 'Camel, Vert.x, JDK (routing, exchanges, I/O)'


def main(path):
    text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', path],
                          check=True, capture_output=True, text=True).stdout
    by_group = collections.Counter()
    inside = collections.defaultdict(collections.Counter)
    total = 0
    for event in text.split('jdk.ExecutionSample')[1:]:
        frames = re.findall(r'^\s+([\w$.<>]+)\(', event, re.M)
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        if not frames or not thread:
            continue
        total += 1
        g = group(thread.group(1))
        by_group[g] += 1
        inside[g][first_owner(frames)] += 1
    print(f'{total} execution samples')
    for g, n in by_group.most_common():
        print(f'{n * 100 / total:5.1f} %  {g}')
        if g.startswith('request') or g.startswith('delivery routes'):
            for owner, m in inside[g].most_common(6):
                print(f'         {m * 100 / total:5.1f} %  {owner}')


if __name__ == '__main__':
    main(sys.argv[1])
