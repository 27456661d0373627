#!/usr/bin/env python3
"""Fills unfinished messages in translations/*.ts from the glossary below.

Messages with %n (plural forms) take a list of forms per language: German has two (one,
other), Japanese one.

Workflow: `cmake --build build/default --target update_translations` (lupdate adds new source
strings), add their translations to GLOSSARY, run this script, then review in Qt Linguist.
Messages not in the glossary stay unfinished and are listed, so nothing is silently skipped.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

GLOSSARY = {
    "Model: built-in demo (untrained)": ("Modell: eingebautes Demo (untrainiert)",
                                         "モデル: 内蔵デモ（未学習）"),
    "The built-in demo model has seeded random weights: it generates noise, not video. Choose a model folder in the render settings for real results.": (
        "Das eingebaute Demo-Modell hat zufällige Gewichte: Es erzeugt Rauschen, kein Video. "
        "Wählen Sie in den Render-Einstellungen einen Modellordner für echte Ergebnisse.",
        "内蔵デモモデルの重みは乱数です。動画ではなくノイズを生成します。実際の結果を得るには、"
        "レンダー設定でモデルフォルダーを選んでください。"),
    "Model: %1": ("Modell: %1", "モデル: %1"),
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
    # Export and exported clips.
    "Export Take": ("Take exportieren", "テイクを書き出す"),
    "%1 — %2, seed %3": ("%1 — %2, Seed %3", "%1 — %2、シード %3"),
    "Take:": ("Take:", "テイク:"),
    "Video (MP4 or MOV)": ("Video (MP4 oder MOV)", "動画 (MP4 または MOV)"),
    "PNG sequence, 8-bit": ("PNG-Sequenz, 8 Bit", "PNG 連番、8 ビット"),
    "PNG sequence, 16-bit": ("PNG-Sequenz, 16 Bit", "PNG 連番、16 ビット"),
    "TIFF sequence, 8-bit": ("TIFF-Sequenz, 8 Bit", "TIFF 連番、8 ビット"),
    "TIFF sequence, 16-bit": ("TIFF-Sequenz, 16 Bit", "TIFF 連番、16 ビット"),
    "OpenEXR sequence, half float, linear": ("OpenEXR-Sequenz, Half Float, linear",
                                             "OpenEXR 連番、half float、リニア"),
    "JPEG sequence": ("JPEG-Sequenz", "JPEG 連番"),
    "Format:": ("Format:", "形式:"),
    "Codec:": ("Codec:", "コーデック:"),
    "Constant quality: lower is better and larger": (
        "Konstante Qualität: niedriger ist besser und größer",
        "固定品質: 小さいほど高画質でファイルが大きくなります"),
    "Slower presets make smaller files of the same quality": (
        "Langsamere Presets ergeben kleinere Dateien gleicher Qualität",
        "遅いプリセットほど同じ品質でファイルが小さくなります"),
    "CRF": ("CRF", "CRF"),
    "Preset": ("Preset", "プリセット"),
    "Quality:": ("Qualität:", "品質:"),
    "JPEG quality:": ("JPEG-Qualität:", "JPEG 品質:"),
    "Last frame": ("Letztes Bild", "最後のフレーム"),
    "to": ("bis", "から"),
    "Frames:": ("Bilder:", "フレーム:"),
    "Original size": ("Originalgröße", "元のサイズ"),
    "Auto": ("Auto", "自動"),
    "Auto keeps the aspect ratio": ("Auto behält das Seitenverhältnis bei",
                                    "自動ではアスペクト比を保ちます"),
    "Size:": ("Größe:", "サイズ:"),
    "Browse…": ("Durchsuchen …", "参照…"),
    "Save to:": ("Speichern unter:", "保存先:"),
    "When cancelled, keep the frames already written": (
        "Beim Abbrechen die bereits geschriebenen Bilder behalten",
        "キャンセル時に書き出し済みのフレームを残す"),
    "Embed the project, so the export reopens as a project": (
        "Projekt einbetten, damit sich der Export wieder als Projekt öffnen lässt",
        "プロジェクトを埋め込み、書き出したファイルをプロジェクトとして開けるようにする"),
    "Export": ("Exportieren", "書き出し"),
    "%n frame(s) at %1×%2, 16 fps": (["%n Bild mit %1×%2, 16 fps", "%n Bilder mit %1×%2, 16 fps"],
                                     ["%n フレーム、%1×%2、16 fps"]),
    "Export Video": ("Video exportieren", "動画を書き出す"),
    "Videos (*.mp4 *.mov *.m4v)": ("Videos (*.mp4 *.mov *.m4v)", "動画 (*.mp4 *.mov *.m4v)"),
    "Export Image Sequence To": ("Bildsequenz exportieren nach", "連番画像の書き出し先"),
    "“%1” already exists. Replace it?": ("„%1“ existiert bereits. Ersetzen?",
                                          "「%1」は既に存在します。置き換えますか?"),
    "Projects and exported clips (*.%1 *.mp4 *.mov *.m4v *.json)": (
        "Projekte und exportierte Clips (*.%1 *.mp4 *.mov *.m4v *.json)",
        "プロジェクトと書き出したクリップ (*.%1 *.mp4 *.mov *.m4v *.json)"),
    "Exported clips and sequence sidecars (*.mp4 *.mov *.m4v *.json)": (
        "Exportierte Clips und Sequenz-Begleitdateien (*.mp4 *.mov *.m4v *.json)",
        "書き出したクリップと連番のサイドカー (*.mp4 *.mov *.m4v *.json)"),
    "“%1” could not be opened as a project.": (
        "„%1“ konnte nicht als Projekt geöffnet werden.",
        "「%1」をプロジェクトとして開けませんでした。"),
    "Opened the project of “%1” (take %2): save it to keep it": (
        "Projekt von „%1“ geöffnet (Take %2): speichern Sie es, um es zu behalten",
        "「%1」のプロジェクトを開きました (テイク %2): 残すには保存してください"),
    "Some keyframes of “%1” could not be recovered.": (
        "Einige Keyframes von „%1“ konnten nicht wiederhergestellt werden.",
        "「%1」の一部のキーフレームを復元できませんでした。"),
    "This build of sfstudio has no video support (FFmpeg).": (
        "Diese sfstudio-Version unterstützt kein Video (FFmpeg).",
        "この sfstudio のビルドは動画 (FFmpeg) に対応していません。"),
    "Exporting to “%1”…": ("Export nach „%1“ …", "「%1」に書き出しています…"),
    "Stopping…": ("Wird angehalten …", "停止しています…"),
    "The export to “%1” failed.": ("Der Export nach „%1“ ist fehlgeschlagen.",
                                   "「%1」への書き出しに失敗しました。"),
    "Export stopped: “%1” holds the first %n frame(s)": (
        ["Export angehalten: „%1“ enthält das erste Bild",
         "Export angehalten: „%1“ enthält die ersten %n Bilder"],
        ["書き出しを停止しました: 「%1」には最初の %n フレームが入っています"]),
    "Export cancelled: nothing was written": ("Export abgebrochen: nichts wurde geschrieben",
                                              "書き出しをキャンセルしました: 何も書き込まれていません"),
    "Exported take %1 to “%2” (%n frame(s))": (
        ["Take %1 nach „%2“ exportiert (%n Bild)", "Take %1 nach „%2“ exportiert (%n Bilder)"],
        ["テイク %1 を「%2」に書き出しました (%n フレーム)"]),
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
            value = GLOSSARY[source][index]
            if message.get("numerus") == "yes":
                for old in list(translation):
                    translation.remove(old)
                translation.text = None
                for form in value:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = value
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
