#!/usr/bin/env python3
"""Writes the camt test statements of the payment scenarios (structure of the camt.053.001.08 and
camt.054.001.08 samples in shared/standards/iso20022/samples/postfinance, with our own trust
account, customers and case references). Run from this folder; the output is committed."""

TRUST = "DE89370400440532013000"

def entry(ref, amount, day, credit=True, name="", iban="", rf="", text="", e2e="NOTPROVIDED"):
    party = ""
    if name or iban:
        tag = "Dbtr" if credit else "Cdtr"
        party = "<RltdPties>"
        if name:
            party += f"<{tag}><Pty><Nm>{name}</Nm></Pty></{tag}>"
        if iban:
            party += f"<{tag}Acct><Id><IBAN>{iban}</IBAN></Id></{tag}Acct>"
        party += "</RltdPties>"
    rmt = ""
    if rf or text:
        rmt = "<RmtInf>"
        if text:
            rmt += f"<Ustrd>{text}</Ustrd>"
        if rf:
            rmt += ("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                    f"<Ref>{rf}</Ref></CdtrRefInf></Strd>")
        rmt += "</RmtInf>"
    ind = "CRDT" if credit else "DBIT"
    return f"""      <Ntry>
        <NtryRef>{ref}</NtryRef>
        <Amt Ccy="EUR">{amount}</Amt>
        <CdtDbtInd>{ind}</CdtDbtInd>
        <RvslInd>false</RvslInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt>
        <ValDt><Dt>{day}</Dt></ValDt>
        <AcctSvcrRef>QT-{ref}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>QT-{ref}</AcctSvcrRef><EndToEndId>{e2e}</EndToEndId></Refs>
          <Amt Ccy="EUR">{amount}</Amt>
          <CdtDbtInd>{ind}</CdtDbtInd>
          {party}
          {rmt}
        </TxDtls></NtryDtls>
      </Ntry>
"""

def balances(day):
    # The statement's balances are not what matching reads; the schema requires them.
    text = ""
    for code in ("OPBD", "CLBD"):
        text += (f"      <Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
                 f"<Amt Ccy=\"EUR\">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
                 f"<Dt><Dt>{day}</Dt></Dt></Bal>\n")
    return text

def document(kind, msg_id, day, entries):
    root, container = ("BkToCstmrStmt", "Stmt") if kind == "053" else ("BkToCstmrDbtCdtNtfctn", "Ntfctn")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.{kind}.001.08">
  <{root}>
    <GrpHdr><MsgId>{msg_id}</MsgId><CreDtTm>{day}T22:00:00</CreDtTm></GrpHdr>
    <{container}>
      <Id>{msg_id}-1</Id>
      <CreDtTm>{day}T22:00:00</CreDtTm>
      <Acct><Id><IBAN>{TRUST}</IBAN></Id><Ccy>EUR</Ccy></Acct>
{balances(day) if kind == "053" else ""}{''.join(entries)}    </{container}>
  </{root}>
</Document>
"""

def write(name, text):
    with open(name, "w", encoding="utf-8") as f:
        f.write(text)

write("camt053-2026-05-04.xml", document("053", "QUITT-TEST-0504", "2026-05-04", [
    # RF reference of case 1 (structured): a part payment.
    entry("0504-1", "40.00", "2026-05-04", name="Anna Schmidt", iban="DE02120300000000202051",
          rf="RF41000000013"),
    # Case number of case 2 in the free text, more than owed: paid in full, the rest held.
    entry("0504-2", "300.00", "2026-05-04", name="Bernd Weber", iban="DE02500105170137075030",
          text="Rechnung R-2 Fall Q-00000002-1 vielen Dank"),
    # No reference, but the customer's IBAN of case 3.
    entry("0504-3", "50.00", "2026-05-04", name="Clara Fuchs GmbH", iban="DE12500105170648489890",
          text="Zahlung"),
    # RF reference of case 4 in the free text, print form: pays it in full (with a surplus).
    entry("0504-4", "60.00", "2026-05-04", name="Dora Klein", iban="DE44500105175407324931",
          text="Ref RF50 0000 0004 5"),
    # Nobody we know: review.
    entry("0504-5", "33.33", "2026-05-04", name="Emil Unbekannt", iban="DE02100500000054540402",
          text="Miete Mai"),
    # Our own payout: not incoming.
    entry("0504-6", "120.00", "2026-05-04", credit=False, name="Acme Versand GmbH",
          iban="DE02120300000000202051", text="Auskehrung"),
]))

write("camt053-2026-05-05.xml", document("053", "QUITT-TEST-0505", "2026-05-05", [
    # Case 4 is closed by now: the whole payment is held for refund.
    entry("0505-1", "20.00", "2026-05-05", name="Dora Klein", iban="DE44500105175407324931",
          rf="RF50000000045"),
    # Case 3 by its quitt end-to-end id (direct debit / payment link).
    entry("0505-2", "10.00", "2026-05-05", name="Clara Fuchs GmbH", e2e="QUITT-Q000000037-1"),
]))

write("camt054-2026-11-20.xml", document("054", "QUITT-TEST-1120", "2026-11-20", [
    # After the last published base rate (2026-06-30): posts only with the provisional rate.
    entry("1120-1", "10.00", "2026-11-20", name="Anna Schmidt", iban="DE02120300000000202051",
          rf="RF41000000013"),
]))
