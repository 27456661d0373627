<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
    <context>
        <name>sfs::ui::AboutDialog</name>
        <message>
            <source>About sfstudio</source>
            <translation>sfstudio について</translation>
        </message>
        <message>
            <source>&lt;h2&gt;sfstudio&lt;/h2&gt;&lt;p&gt;Real-time keyframe storyboarding with Self-Forcing video diffusion.&lt;/p&gt;</source>
            <translation>&lt;h2&gt;sfstudio&lt;/h2&gt;&lt;p&gt;Self-Forcing 動画拡散によるリアルタイム・キーフレーム絵コンテ。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>コピー</translation>
        </message>
        <message>
            <source>Compute device</source>
            <translation>計算デバイス</translation>
        </message>
        <message>
            <source>detecting…</source>
            <translation>検出中…</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::MainWindow</name>
        <message>
            <source>sfstudio</source>
            <translation>sfstudio</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>ファイル(&amp;F)</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>最近使ったファイル(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>編集(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>表示(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Generate</source>
            <translation>生成(&amp;G)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>ヘルプ(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;New Project</source>
            <translation>新規プロジェクト(&amp;N)</translation>
        </message>
        <message>
            <source>Start a new storyboard</source>
            <translation>新しい絵コンテを始める</translation>
        </message>
        <message>
            <source>&amp;Open…</source>
            <translation>開く(&amp;O)…</translation>
        </message>
        <message>
            <source>Open a project or an exported clip</source>
            <translation>プロジェクトまたは書き出したクリップを開く</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <source>Save &amp;As…</source>
            <translation>名前を付けて保存(&amp;A)…</translation>
        </message>
        <message>
            <source>&amp;Export…</source>
            <translation>書き出し(&amp;E)…</translation>
        </message>
        <message>
            <source>Export a take as MP4 or an image sequence</source>
            <translation>テイクを MP4 または連番画像として書き出す</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>終了(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>元に戻す(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>やり直し(&amp;R)</translation>
        </message>
        <message>
            <source>Generate the timeline with the model</source>
            <translation>モデルでタイムラインを生成する</translation>
        </message>
        <message>
            <source>&amp;Stop</source>
            <translation>停止(&amp;S)</translation>
        </message>
        <message>
            <source>Stop the running generation after the current step</source>
            <translation>現在のステップの後で生成を停止する</translation>
        </message>
        <message>
            <source>&amp;About sfstudio</source>
            <translation>sfstudio について(&amp;A)</translation>
        </message>
        <message>
            <source>About &amp;Qt</source>
            <translation>Qt について(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Clear Menu</source>
            <translation>メニューを消去(&amp;C)</translation>
        </message>
        <message>
            <source>Timeline</source>
            <translation>タイムライン</translation>
        </message>
        <message>
            <source>Inspector</source>
            <translation>インスペクター</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>プレビュー</translation>
        </message>
    </context>
</TS>
