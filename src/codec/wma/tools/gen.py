# Throwaway extractor (kept for provenance): finds the WMA tables compiled into Debian 12 libavcodec59 (FFmpeg 5.1,
# from libavcodec/wmadata.h and aactab.c) by their structure (Kraft-complete, prefix-free, level sums) and writes
# ../tables.rs. Run scan.py, scan2.py, gen.py in that order (paths are absolute; adjust).
import struct, numpy as np, pickle
d=open('/usr/lib/x86_64-linux-gnu/libavcodec.so.59','rb').read()
co=pickle.load(open('coefs.pkl','rb'))
ns=[666,555,1336,1072,476,435]
lv_off=[(13538272,60),(13538176,40),(13537472,340),(13537088,180),(13536928,70),(13536832,40)]
sc_codes=np.frombuffer(d[11323552:11323552+121*4],dtype='<u4').tolist()
sc_bits=list(d[11323424:11323424+121])
assert sum(2.0**-b for b in sc_bits)==1.0
def arr(name,typ,vals,per=12,fmt=str):
    s=f"pub static {name}: [{typ}; {len(vals)}] = [\n"
    for i in range(0,len(vals),per):
        s+="    "+", ".join(fmt(v) for v in vals[i:i+per])+",\n"
    return s+"];\n"
hexf=lambda v: "0x%05x"%v
out=["""//! WMA v1/v2 bitstream tables (format facts, transcribed as data; no code from elsewhere).
//!
//! Source of every table here: FFmpeg 5.1 `libavcodec/wmadata.h` (coefficient VLCs
//! `coef{0..5}_huffcodes`/`huffbits`, `levels{0..5}`, `exponent_band_*`,
//! `ff_wma_critical_freqs` in `wma_freqs.c`) and `libavcodec/aactab.c`
//! (`ff_aac_scalefactor_code`/`_bits`, the exponent VLC = AAC scale-factor Huffman code of
//! ISO/IEC 14496-3). The numbers were extracted by a throwaway script from the compiled
//! tables in Debian 12's libavcodec59 (5.1.x) and cross-checked against the text of
//! wmadata.h in the FFmpeg repository (first rows of each table); every VLC table is
//! checked in the unit tests (count, Kraft equality, prefix-free).
// Generated data: keep rustfmt away from the long arrays.
#![cfg_attr(rustfmt, rustfmt_skip)]

"""]
out.append("/// Exponent VLC codes (index = delta + 60), from aactab.c `ff_aac_scalefactor_code`.\n")
out.append(arr("EXP_CODES","u32",sc_codes,8,hexf))
out.append("/// Exponent VLC lengths, from aactab.c `ff_aac_scalefactor_bits`.\n")
out.append(arr("EXP_BITS","u8",sc_bits,16))
for k,n in enumerate(ns):
    out.append(f"/// Coefficient VLC {k} codes (wmadata.h `coef{k}_huffcodes[{n}]`).\n")
    out.append(arr(f"COEF{k}_CODES","u32",co[n]['codes'],8,hexf))
    out.append(f"/// Coefficient VLC {k} lengths (wmadata.h `coef{k}_huffbits[{n}]`).\n")
    out.append(arr(f"COEF{k}_BITS","u8",co[n]['bits'],16))
for k,(o,n) in enumerate(lv_off):
    vals=np.frombuffer(d[o:o+2*n],dtype='<u2').tolist()
    assert sum(vals)==ns[k]-2, k
    out.append(f"/// Runs per level for coefficient VLC {k} (wmadata.h `levels{k}`; sum = codes - 2).\n")
    out.append(arr(f"LEVELS{k}","u16",vals,16))
open('/work/wt/wma/src/codec/wma/tables.rs','w').write("".join(out))
