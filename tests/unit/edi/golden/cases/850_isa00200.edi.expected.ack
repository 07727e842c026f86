ISA*00*          *00*          *ZZ*RECEIVERID     *ZZ*SENDERID       *######*####*U*00401*#########*0*P*>
GS*FA*RECEIVERID*SENDERID*########*####*#*X*004010
ST*997*####
AK1*PO*1
AK2*850*0001
AK5*A
AK9*A*1*1*1
SE*6*####
GE*1*#
IEA*1*#########
