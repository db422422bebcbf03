"""Administrative documents (notices, invitations, minutes, reports) rendered to PDF.

The layout is that of Decree 30/2020/NĐ-CP (Appendix I), on A4 portrait with margins
20 mm top, 22 mm bottom, 30 mm left, 15 mm right, in the bundled Liberation Serif 2
(Times New Roman metrics, full Vietnamese; ``app/static/fonts``, SIL OFL 1.1), so the
PDF never depends on the machine's fonts:

- top left, centred: the superior body (capitals, regular), the agency (capitals,
  bold), a short rule (a third of the block) under it;
- top right, centred: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold capitals) and
  "Độc lập - Tự do - Hạnh phúc" (bold) underlined for its own length;
- under the agency: "Số: 05/SNNMT-CCBVMT" and, for an official letter, the summary
  "V/v ..." under it; on the same line, right: the place and date in italics,
  "Cần Thơ, ngày 05 tháng 01 năm 2026" (days below 10 and months 1-2 with a zero);
- a typed document (TB, GM, BC, BB, KH, TTr, QĐ): its name in bold capitals centred,
  the summary in bold under it, a short rule;
- "Kính gửi:" for an official letter and an invitation only;
- the body, 14 pt justified, first lines indented 1 cm, tables bordered;
- bottom right, bold and centred: the authority ("KT. GIÁM ĐỐC"), the title, space
  for signature and seal, the full name; bottom left in small type "Nơi nhận:"
  (bold italic) and its list, ending with "- Lưu: VT, ...";
- page numbers centred in the top margin from page 2; a draft has no number, blank
  date figures and a "DỰ THẢO" watermark; the first page's bottom margin carries the
  QR code and the short link of the public verification page.

``layout`` holds these rules as pure functions, ``body`` builds safe body HTML,
``render`` turns a ``Document`` into PDF bytes.
"""
