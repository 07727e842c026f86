ISA*00*          *00*          *ZZ*RECEIVERID     *ZZ*SENDERID       *######*####*^*00501*#########*0*P*>
GS*FA*RECEIVERID*SENDERID*########*####*#*X*005010
ST*997*####*005010
AK1*SH*1*005010
AK2*856*0001
AK5*A
AK9*A*1*1*1
SE*6*####
GE*1*#
IEA*1*#########
ISA*00*          *00*          *ZZ*RECEIVERID     *ZZ*SENDERID       *######*####*^*00501*#########*0*P*>
GS*FA*RECEIVERID*SENDERID*########*####*#*X*005010
ST*997*####*005010
AK1*PS*1*005010X999
AK2*830*0001
AK5*A
AK9*A*1*1*1
SE*6*####
GE*1*#
IEA*1*#########
