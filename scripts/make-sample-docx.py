#!/usr/bin/env python3
"""Writes corpus/scg-statement-excerpt.zh.docx: a small Word document written for the sample
corpus (a Chinese repost with planted machine-translation errors, one of them split over two
runs, a table, a header and a footnote). Run from the repository root; the output is committed,
so run it again only to change the sample."""

import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="application/octet-stream"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
</Relationships>"""

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
</w:styles>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>SCG statement excerpt</dc:title><dc:creator>transmend sample</dc:creator></cp:coreProperties>"""


def run(text, bold=False):
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:r>{props}<w:t{space}>{text}</w:t></w:r>"


def para(*runs, style=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


BODY = "".join([
    para(run("社会主义运动小组关于泄露报告的声明"), style="Heading1"),
    para(run("我们是"), run("劳动", bold=True), run("派对的全国竞选协调员，"),
         run("我们与党的领导层一起参加了每一次战略会议。")),
    para(run("作者：Jon Trickett 和 Ian Lvery，20020年4月13日。")),
    para(run("这不是 Bulllingdon Club；报告揭示了反抗主义投诉如何被拖延。"),
         '<w:r><w:footnoteReference w:id="1"/></w:r>'),
    "<w:tbl><w:tr><w:tc>" + para(run("托里")) + "</w:tc><w:tc>"
    + para(run("保守党")) + "</w:tc></w:tr></w:tbl>",
    para(run("字段："), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
         '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/劳动派对" </w:instrText></w:r>',
         '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("原文链接"),
         '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
    para(run("全国执行委员会"), run(" &amp; "), run("平等与人权委员会必须回应。")),
])

DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>{BODY}<w:sectPr><w:headerReference w:type="default" r:id="rId2"/></w:sectPr></w:body></w:document>"""

HEADER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {W}>{para(run("转载：劳动派对内部报告"))}</w:hdr>"""

FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}><w:footnote w:id="1">{para(run("见《论坛圈》2020年4月的文章。"))}</w:footnote></w:footnotes>"""

# A tiny stand-in for an embedded picture: bytes that must come back unchanged.
IMAGE = bytes(range(256)) * 4

with zipfile.ZipFile("corpus/scg-statement-excerpt.zh.docx", "w") as z:
    for name, data, method in [
        ("[Content_Types].xml", CONTENT_TYPES, zipfile.ZIP_DEFLATED),
        ("_rels/.rels", RELS, zipfile.ZIP_DEFLATED),
        ("docProps/core.xml", CORE, zipfile.ZIP_DEFLATED),
        ("word/document.xml", DOCUMENT, zipfile.ZIP_DEFLATED),
        ("word/_rels/document.xml.rels", DOC_RELS, zipfile.ZIP_DEFLATED),
        ("word/styles.xml", STYLES, zipfile.ZIP_DEFLATED),
        ("word/header1.xml", HEADER, zipfile.ZIP_DEFLATED),
        ("word/footnotes.xml", FOOTNOTES, zipfile.ZIP_DEFLATED),
        ("word/media/image1.bin", IMAGE, zipfile.ZIP_STORED),
    ]:
        info = zipfile.ZipInfo(name, date_time=(2020, 4, 13, 12, 0, 0))
        info.compress_type = method
        z.writestr(info, data)
