#!/usr/bin/env python3
"""Fills unfinished messages in translations/*.ts from the glossary below.

Workflow: `cmake --build build/default --target update_translations` (lupdate adds new source
strings), add their translations to GLOSSARY, run this script, then review in Qt Linguist.
Messages not in the glossary stay unfinished and are listed, so nothing is silently skipped.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

GLOSSARY = {
    "About sfstudio": ("Über sfstudio", "sfstudio について"),
    "<h2>sfstudio</h2><p>Real-time keyframe storyboarding with Self-Forcing video diffusion.</p>": (
        "<h2>sfstudio</h2><p>Storyboards mit Keyframes in Echtzeit – mit Self-Forcing-Videodiffusion.</p>",
        "<h2>sfstudio</h2><p>Self-Forcing 動画拡散によるリアルタイム・キーフレーム絵コンテ。</p>"),
    "Copy": ("Kopieren", "コピー"),
    "Compute device": ("Rechengerät", "計算デバイス"),
    "detecting…": ("wird ermittelt …", "検出中…"),
    "sfstudio": ("sfstudio", "sfstudio"),
    "&File": ("&Datei", "ファイル(&F)"),
    "Open &Recent": ("&Zuletzt geöffnet", "最近使ったファイル(&R)"),
    "&Edit": ("&Bearbeiten", "編集(&E)"),
    "&View": ("&Ansicht", "表示(&V)"),
    "&Generate": ("&Generieren", "生成(&G)"),
    "&Help": ("&Hilfe", "ヘルプ(&H)"),
    "&New Project": ("&Neues Projekt", "新規プロジェクト(&N)"),
    "Start a new storyboard": ("Ein neues Storyboard beginnen", "新しい絵コンテを始める"),
    "&Open…": ("Ö&ffnen …", "開く(&O)…"),
    "Open a project or an exported clip": ("Ein Projekt oder einen exportierten Clip öffnen",
                                           "プロジェクトまたは書き出したクリップを開く"),
    "&Save": ("&Speichern", "保存(&S)"),
    "Save &As…": ("Speichern &unter …", "名前を付けて保存(&A)…"),
    "&Export…": ("&Exportieren …", "書き出し(&E)…"),
    "Export a take as MP4 or an image sequence": ("Einen Take als MP4 oder Bildsequenz exportieren",
                                                  "テイクを MP4 または連番画像として書き出す"),
    "&Quit": ("&Beenden", "終了(&Q)"),
    "&Undo": ("&Rückgängig", "元に戻す(&U)"),
    "&Redo": ("&Wiederholen", "やり直し(&R)"),
    "Generate the timeline with the model": ("Die Zeitleiste mit dem Modell generieren",
                                             "モデルでタイムラインを生成する"),
    "&Stop": ("&Stopp", "停止(&S)"),
    "Stop the running generation after the current step": (
        "Die laufende Generierung nach dem aktuellen Schritt anhalten",
        "現在のステップの後で生成を停止する"),
    "&About sfstudio": ("Ü&ber sfstudio", "sfstudio について(&A)"),
    "About &Qt": ("Über &Qt", "Qt について(&Q)"),
    "&Clear Menu": ("Menü &leeren", "メニューを消去(&C)"),
    "Timeline": ("Zeitleiste", "タイムライン"),
    "Inspector": ("Inspektor", "インスペクター"),
    "Preview": ("Vorschau", "プレビュー"),
}

LANGS = {"de": 0, "ja": 1}


def fill(path: Path) -> list:
    lang = path.stem.split("_")[-1]
    index = LANGS[lang]
    tree = ET.parse(path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if translation.get("type") == "obsolete" or translation.get("type") == "vanished":
            continue
        if source in GLOSSARY:
            translation.text = GLOSSARY[source][index]
            translation.attrib.pop("type", None)
        elif translation.get("type") == "unfinished" or not translation.text:
            missing.append(source)
    ET.indent(tree, space="    ")
    with open(path, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
        f.write(b"\n")
    return missing


def main() -> int:
    root = Path(__file__).resolve().parent.parent / "translations"
    status = 0
    for ts in sorted(root.glob("sfstudio_*.ts")):
        missing = fill(ts)
        for m in missing:
            print(f"{ts.name}: untranslated: {m!r}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
