"""Where a module's code goes: the body size of every function in a wasm's code section, named
from its name section, summed per group of names (first matching regex wins). Run it on the
wasm-bindgen output (function names kept; trunk's wasm-opt drops them), e.g.

  python3 scripts/wasm_sizes.py $CARGO_TARGET_DIR/wasm-bindgen/release/nin-companion_bg.wasm \\
      'model cell=nin_code|model_code|from_code|code_net|code_summary|burn_code|code_link|miniz|code_edits|i18n::code'

Only function bodies are counted (not data such as texts); inlined code counts where it landed.
"""
import sys, re, collections
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
def parse(path):
    b = open(path, 'rb').read(); i = 8; code = []; names = {}; imports = 0
    while i < len(b):
        sid = b[i]; i += 1; size, i = leb(b, i); end = i + size
        if sid == 2:
            n, j = leb(b, i)
            for _ in range(n):
                l, j = leb(b, j); j += l; l, j = leb(b, j); j += l
                kind = b[j]; j += 1
                if kind == 0: _, j = leb(b, j); imports += 1
                elif kind == 1: j += 1; fl, j = leb(b, j); _, j = leb(b, j); j = leb(b, j)[1] if fl & 1 else j
                elif kind == 2: fl, j = leb(b, j); _, j = leb(b, j); j = leb(b, j)[1] if fl & 1 else j
                elif kind == 3: j += 2
                else: j = leb(b,j)[1]
        elif sid == 10:
            n, j = leb(b, i)
            for _ in range(n):
                l, j = leb(b, j); code.append(l); j += l
        elif sid == 0:
            l, j = leb(b, i); name = b[j:j+l].decode(); j += l
            if name == 'name':
                while j < end:
                    sub = b[j]; j += 1; ssz, j = leb(b, j); send = j + ssz
                    if sub == 1:
                        n, k = leb(b, j)
                        for _ in range(n):
                            idx, k = leb(b, k); l, k = leb(b, k); names[idx] = b[k:k+l].decode('utf8', 'replace'); k += l
                    j = send
        i = end
    return [(names.get(imports + k, f'f{k}'), sz) for k, sz in enumerate(code)]
def demangle(n):
    m = re.match(r'_ZN(.*)E$', n)
    if not m: return n
    s = m.group(1); parts = []; i = 0
    while i < len(s) and s[i].isdigit():
        j = i
        while s[j].isdigit(): j += 1
        l = int(s[i:j]); parts.append(s[j:j+l]); i = j + l
    return '::'.join(p for p in parts if not re.match(r'h[0-9a-f]{16}$', p))
if __name__ == '__main__':
    fns = [(demangle(n), s) for n, s in parse(sys.argv[1])]
    total = sum(s for _, s in fns)
    groups = collections.Counter()
    pats = [(g, re.compile(p)) for g, p in (a.split('=', 1) for a in sys.argv[2:])]
    for n, s in fns:
        for g, p in pats:
            if p.search(n): groups[g] += s; break
    print('total code bytes', total, 'functions', len(fns))
    for g, s in groups.most_common(): print(f'{g}: {s} B ({100*s/total:.1f} %)')
