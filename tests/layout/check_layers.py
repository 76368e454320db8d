"""The include graph of core/: each folder is one layer and includes only
itself and the layers below it; mail/, which a plugin links too, includes
only util/; and the SDK includes nothing of the core.

Run as a test: exits 1 and names every include that runs the wrong way.
"""
import os
import re
import sys

# Lowest first.
LAYERS = ["util", "model", "mail", "config", "state", "hosting", "notify", "engine", "report", "network", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main(source_dir):
    core = os.path.join(source_dir, "core")
    rank = {name: i for i, name in enumerate(LAYERS)}
    problems = []
    for folder in sorted(os.listdir(core)):
        path = os.path.join(core, folder)
        if not os.path.isdir(path):
            continue
        if folder not in rank:
            problems.append("core/%s: a folder that is no layer (add it to LAYERS)" % folder)
            continue
        for name in sorted(os.listdir(path)):
            file = os.path.join(path, name)
            with open(file, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = match.group(1).split("/")[0]
                    if target not in rank:
                        problems.append("core/%s/%s:%d: includes \"%s\", which is in no layer"
                                        % (folder, name, number, match.group(1)))
                    elif rank[target] > rank[folder] or (folder == "mail" and target not in ("mail", "util")):
                        problems.append("core/%s/%s:%d: includes \"%s\" from a higher layer"
                                        % (folder, name, number, match.group(1)))
    sdk = os.path.join(source_dir, "sdk", "include", "checker")
    for name in sorted(os.listdir(sdk)):
        with open(os.path.join(sdk, name), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if INCLUDE.match(line):
                    problems.append("sdk/include/checker/%s:%d: the SDK includes a private header" % (name, number))
    for problem in problems:
        print(problem)
    print("%d passed, %d failed" % (1 if not problems else 0, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
