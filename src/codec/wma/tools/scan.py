import struct, numpy as np
d=open('/usr/lib/x86_64-linux-gnu/libavcodec.so.59','rb').read()
lo,hi=13400000,13700000
reg=np.frombuffer(d[lo:hi],dtype=np.uint8)
ns=[666,555,1336,1072,476,435]
# kraft on bytes
w=np.where((reg>=1)&(reg<=24), 2.0**(-reg.astype(np.float64)), np.nan)
valid=((reg>=1)&(reg<=24)).astype(np.int64)
cv=np.concatenate([[0],np.cumsum(valid)])
cw=np.concatenate([[0],np.cumsum(np.nan_to_num(w,nan=0.0))])
res={}
for n in ns:
    ok=np.where((cv[n:]-cv[:-n]==n) & (np.abs(cw[n:]-cw[:-n]-1.0)<1e-12))[0]
    res[n]=[lo+int(o) for o in ok]
    print(n,'bits candidates',res[n][:10])
import pickle; pickle.dump(res,open('bits.pkl','wb'))
