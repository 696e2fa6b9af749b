import struct, numpy as np, pickle, json
d=open('/usr/lib/x86_64-linux-gnu/libavcodec.so.59','rb').read()
res=pickle.load(open('bits.pkl','rb'))
lo,hi=13400000,13700000
out={}
for n,(bo,) in res.items():
    bits=np.frombuffer(d[bo:bo+n],dtype=np.uint8).astype(np.int64)
    lim=(1<<bits)
    found=[]
    for off in range(lo,hi-4*n,4):
        c=np.frombuffer(d[off:off+4*n],dtype='<u4').astype(np.int64)
        if c[0]<lim[0] and c[1]<lim[1] and c[2]<lim[2] and np.all(c<lim):
            # prefix free check
            s=sorted((int(b),int(x)) for b,x in zip(bits,c))
            strs=sorted(format(x,'0%db'%b) for b,x in s)
            pf=all(not strs[i+1].startswith(strs[i]) for i in range(len(strs)-1))
            if pf: found.append(off)
    print(n,bo,found)
    out[n]={'bits':bits.tolist(),'codes':np.frombuffer(d[found[0]:found[0]+4*n],dtype='<u4').tolist()} if len(found)==1 else None
pickle.dump(out,open('coefs.pkl','wb'))
