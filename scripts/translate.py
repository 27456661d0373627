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
    # Project files, undo commands and crash recovery.
    "Add Keyframe": ("Keyframe hinzufügen", "キーフレームを追加"),
    "Delete Keyframe": ("Keyframe löschen", "キーフレームを削除"),
    "Move Keyframe": ("Keyframe verschieben", "キーフレームを移動"),
    "Change Keyframe Strength": ("Keyframe-Stärke ändern", "キーフレームの強さを変更"),
    "Change Keyframe Image": ("Keyframe-Bild ändern", "キーフレームの画像を変更"),
    "Change Keyframe Fit": ("Keyframe-Einpassung ändern", "キーフレームのフィットを変更"),
    "Change Keyframe Label": ("Keyframe-Beschriftung ändern", "キーフレームのラベルを変更"),
    "Add Prompt Segment": ("Prompt-Abschnitt hinzufügen", "プロンプト区間を追加"),
    "Split Prompt Segment": ("Prompt-Abschnitt teilen", "プロンプト区間を分割"),
    "Merge Prompt Segments": ("Prompt-Abschnitte zusammenführen", "プロンプト区間を結合"),
    "Delete Prompt Segment": ("Prompt-Abschnitt löschen", "プロンプト区間を削除"),
    "Edit Prompt": ("Prompt bearbeiten", "プロンプトを編集"),
    "Move Prompt Boundary": ("Prompt-Grenze verschieben", "プロンプトの境界を移動"),
    "Change Render Settings": ("Render-Einstellungen ändern", "レンダー設定を変更"),
    "Change Duration": ("Dauer ändern", "長さを変更"),
    "Add Take": ("Take hinzufügen", "テイクを追加"),
    "Delete Take": ("Take löschen", "テイクを削除"),
    "Untitled": ("Unbenannt", "無題"),
    "%1[*] — sfstudio": ("%1[*] — sfstudio", "%1[*] — sfstudio"),
    "sfstudio projects (*.%1)": ("sfstudio-Projekte (*.%1)", "sfstudio プロジェクト (*.%1)"),
    "The project “%1” has unsaved changes.": (
        "Das Projekt „%1“ hat ungespeicherte Änderungen.",
        "プロジェクト「%1」には保存されていない変更があります。"),
    "Do you want to save them?": ("Möchten Sie sie speichern?", "保存しますか?"),
    "New project": ("Neues Projekt", "新規プロジェクト"),
    "Open Project": ("Projekt öffnen", "プロジェクトを開く"),
    "Opening “%1”…": ("„%1“ wird geöffnet …", "「%1」を開いています…"),
    "The project “%1” could not be opened.": ("Das Projekt „%1“ konnte nicht geöffnet werden.",
                                              "プロジェクト「%1」を開けませんでした。"),
    "Opened “%1”": ("„%1“ geöffnet", "「%1」を開きました"),
    "The project could not be saved.": ("Das Projekt konnte nicht gespeichert werden.",
                                        "プロジェクトを保存できませんでした。"),
    "Saved “%1”": ("„%1“ gespeichert", "「%1」を保存しました"),
    "Save Project As": ("Projekt speichern unter", "名前を付けてプロジェクトを保存"),
    "Saving “%1”…": ("„%1“ wird gespeichert …", "「%1」を保存しています…"),
    "Recover Unsaved Changes": ("Ungespeicherte Änderungen wiederherstellen",
                                "保存されていない変更の復元"),
    "sfstudio did not close properly last time.": (
        "sfstudio wurde beim letzten Mal nicht ordnungsgemäß beendet.",
        "前回 sfstudio は正常に終了しませんでした。"),
    "Unsaved changes to “%1” were saved automatically at %2. Recover them?": (
        "Ungespeicherte Änderungen an „%1“ wurden um %2 automatisch gesichert. "
        "Wiederherstellen?",
        "「%1」の保存されていない変更は %2 に自動保存されています。復元しますか?"),
    "A recovery file could not be read: %1": (
        "Eine Wiederherstellungsdatei konnte nicht gelesen werden: %1",
        "復元ファイルを読み込めませんでした: %1"),
    "Recover": ("Wiederherstellen", "復元"),
    "Discard": ("Verwerfen", "破棄"),
    "Not Now": ("Nicht jetzt", "後で"),
    "Recovered “%1”: save it to keep the changes": (
        "„%1“ wiederhergestellt: speichern Sie es, um die Änderungen zu behalten",
        "「%1」を復元しました: 変更を残すには保存してください"),
    "The unsaved changes could not be recovered.": (
        "Die ungespeicherten Änderungen konnten nicht wiederhergestellt werden.",
        "保存されていない変更を復元できませんでした。"),
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
