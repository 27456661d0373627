<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
    <context>
        <name>sfs::core::ProjectCommand</name>
        <message>
            <source>Add Keyframe</source>
            <translation>キーフレームを追加</translation>
        </message>
        <message>
            <source>Delete Keyframe</source>
            <translation>キーフレームを削除</translation>
        </message>
        <message>
            <source>Move Keyframe</source>
            <translation>キーフレームを移動</translation>
        </message>
        <message>
            <source>Change Keyframe Strength</source>
            <translation>キーフレームの強さを変更</translation>
        </message>
        <message>
            <source>Change Keyframe Image</source>
            <translation>キーフレームの画像を変更</translation>
        </message>
        <message>
            <source>Change Keyframe Fit</source>
            <translation>キーフレームのフィットを変更</translation>
        </message>
        <message>
            <source>Change Keyframe Label</source>
            <translation>キーフレームのラベルを変更</translation>
        </message>
        <message>
            <source>Add Prompt Segment</source>
            <translation>プロンプト区間を追加</translation>
        </message>
        <message>
            <source>Split Prompt Segment</source>
            <translation>プロンプト区間を分割</translation>
        </message>
        <message>
            <source>Merge Prompt Segments</source>
            <translation>プロンプト区間を結合</translation>
        </message>
        <message>
            <source>Delete Prompt Segment</source>
            <translation>プロンプト区間を削除</translation>
        </message>
        <message>
            <source>Edit Prompt</source>
            <translation>プロンプトを編集</translation>
        </message>
        <message>
            <source>Move Prompt Boundary</source>
            <translation>プロンプトの境界を移動</translation>
        </message>
        <message>
            <source>Change Render Settings</source>
            <translation>レンダー設定を変更</translation>
        </message>
        <message>
            <source>Change Duration</source>
            <translation>長さを変更</translation>
        </message>
        <message>
            <source>Add Take</source>
            <translation>テイクを追加</translation>
        </message>
        <message>
            <source>Delete Take</source>
            <translation>テイクを削除</translation>
        </message>
        <message>
            <source>Add Marker</source>
            <translation>マーカーを追加</translation>
        </message>
        <message>
            <source>Delete Marker</source>
            <translation>マーカーを削除</translation>
        </message>
        <message>
            <source>Move Marker</source>
            <translation>マーカーを移動</translation>
        </message>
        <message>
            <source>Rename Marker</source>
            <translation>マーカーの名前を変更</translation>
        </message>
        <message>
            <source>Change Keyframe Approach</source>
            <translation>キーフレームのアプローチを変更</translation>
        </message>
        <message>
            <source>Update Take</source>
            <translation>テイクを更新</translation>
        </message>
        <message>
            <source>Change Keyframe VACE</source>
            <translation>キーフレームの VACE を変更</translation>
        </message>
    </context>
    <context>
        <name>sfs::core::ProjectDocument</name>
        <message>
            <source>Untitled</source>
            <translation>無題</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui</name>
        <message>
            <source>DiT (video model)</source>
            <translation>DiT（動画モデル）</translation>
        </message>
        <message>
            <source>VAE (final decoder)</source>
            <translation>VAE（最終デコーダー）</translation>
        </message>
        <message>
            <source>Text encoder</source>
            <translation>テキストエンコーダー</translation>
        </message>
        <message>
            <source>Tokenizer</source>
            <translation>トークナイザー</translation>
        </message>
        <message>
            <source>TAEHV (preview decoder)</source>
            <translation>TAEHV（プレビューデコーダー）</translation>
        </message>
        <message>
            <source>%1 cannot be used: %2</source>
            <translation>%1 は使用できません: %2</translation>
        </message>
        <message>
            <source>%1 is also a %2; using %3 (the preferred one)</source>
            <translation>%1 も %2 です。%3（優先されるファイル）を使用します</translation>
        </message>
        <message>
            <source>%1 is missing: look for %2</source>
            <translation>%1 がありません: %2 を探してください</translation>
        </message>
    </context>
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
        <name>sfs::ui::ExportDialog</name>
        <message>
            <source>Export Take</source>
            <translation>テイクを書き出す</translation>
        </message>
        <message>
            <source>%1 — %2, seed %3</source>
            <translation>%1 — %2、シード %3</translation>
        </message>
        <message>
            <source>Take:</source>
            <translation>テイク:</translation>
        </message>
        <message>
            <source>Video (MP4 or MOV)</source>
            <translation>動画 (MP4 または MOV)</translation>
        </message>
        <message>
            <source>PNG sequence, 8-bit</source>
            <translation>PNG 連番、8 ビット</translation>
        </message>
        <message>
            <source>PNG sequence, 16-bit</source>
            <translation>PNG 連番、16 ビット</translation>
        </message>
        <message>
            <source>TIFF sequence, 8-bit</source>
            <translation>TIFF 連番、8 ビット</translation>
        </message>
        <message>
            <source>TIFF sequence, 16-bit</source>
            <translation>TIFF 連番、16 ビット</translation>
        </message>
        <message>
            <source>OpenEXR sequence, half float, linear</source>
            <translation>OpenEXR 連番、half float、リニア</translation>
        </message>
        <message>
            <source>JPEG sequence</source>
            <translation>JPEG 連番</translation>
        </message>
        <message>
            <source>Format:</source>
            <translation>形式:</translation>
        </message>
        <message>
            <source>Codec:</source>
            <translation>コーデック:</translation>
        </message>
        <message>
            <source>Constant quality: lower is better and larger</source>
            <translation>固定品質: 小さいほど高画質でファイルが大きくなります</translation>
        </message>
        <message>
            <source>Slower presets make smaller files of the same quality</source>
            <translation>遅いプリセットほど同じ品質でファイルが小さくなります</translation>
        </message>
        <message>
            <source>CRF</source>
            <translation>CRF</translation>
        </message>
        <message>
            <source>Preset</source>
            <translation>プリセット</translation>
        </message>
        <message>
            <source>Quality:</source>
            <translation>品質:</translation>
        </message>
        <message>
            <source>JPEG quality:</source>
            <translation>JPEG 品質:</translation>
        </message>
        <message>
            <source>Last frame</source>
            <translation>最後のフレーム</translation>
        </message>
        <message>
            <source>to</source>
            <translation>から</translation>
        </message>
        <message>
            <source>Frames:</source>
            <translation>フレーム:</translation>
        </message>
        <message>
            <source>Original size</source>
            <translation>元のサイズ</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>自動</translation>
        </message>
        <message>
            <source>Auto keeps the aspect ratio</source>
            <translation>自動ではアスペクト比を保ちます</translation>
        </message>
        <message>
            <source>Size:</source>
            <translation>サイズ:</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>参照…</translation>
        </message>
        <message>
            <source>Save to:</source>
            <translation>保存先:</translation>
        </message>
        <message>
            <source>When cancelled, keep the frames already written</source>
            <translation>キャンセル時に書き出し済みのフレームを残す</translation>
        </message>
        <message>
            <source>Embed the project, so the export reopens as a project</source>
            <translation>プロジェクトを埋め込み、書き出したファイルをプロジェクトとして開けるようにする</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>書き出し</translation>
        </message>
        <message numerus="yes">
            <source>%n frame(s) at %1×%2, 16 fps</source>
            <translation>
                <numerusform>%n フレーム、%1×%2、16 fps</numerusform>
            </translation>
        </message>
        <message>
            <source>Export Video</source>
            <translation>動画を書き出す</translation>
        </message>
        <message>
            <source>Videos (*.mp4 *.mov *.m4v)</source>
            <translation>動画 (*.mp4 *.mov *.m4v)</translation>
        </message>
        <message>
            <source>Export Image Sequence To</source>
            <translation>連番画像の書き出し先</translation>
        </message>
        <message>
            <source>“%1” already exists. Replace it?</source>
            <translation>「%1」は既に存在します。置き換えますか?</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::InspectorPanel</name>
        <message>
            <source>The seed must be a whole number from 0 to %1.</source>
            <translation>シードは 0 から %1 までの整数で指定してください。</translation>
        </message>
        <message>
            <source>Steps are whole numbers separated by commas, e.g. 1000, 750, 500, 250.</source>
            <translation>ステップはカンマ区切りの整数です（例: 1000, 750, 500, 250）。</translation>
        </message>
        <message>
            <source>&amp;Size:</source>
            <translation>サイズ(&amp;S):</translation>
        </message>
        <message>
            <source>Width</source>
            <translation>幅</translation>
        </message>
        <message>
            <source>Video width in pixels (a multiple of 16)</source>
            <translation>動画の幅（ピクセル、16 の倍数）</translation>
        </message>
        <message>
            <source>Height</source>
            <translation>高さ</translation>
        </message>
        <message>
            <source>Video height in pixels (a multiple of 16)</source>
            <translation>動画の高さ（ピクセル、16 の倍数）</translation>
        </message>
        <message>
            <source> px</source>
            <translation> px</translation>
        </message>
        <message>
            <source>&amp;Duration:</source>
            <translation>長さ(&amp;D):</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>長さ</translation>
        </message>
        <message>
            <source>Timeline length in frames: whole chunks of 12 frames, less 3 for the first (9, 21, … 81 = 5 s)</source>
            <translation>タイムラインの長さ（フレーム）: 12 フレームのチャンク単位、最初のチャンクは 3 少ない（9, 21, … 81 = 5 秒）</translation>
        </message>
        <message>
            <source> frames</source>
            <translation> フレーム</translation>
        </message>
        <message>
            <source>S&amp;eed:</source>
            <translation>シード(&amp;E):</translation>
        </message>
        <message>
            <source>Seed</source>
            <translation>シード</translation>
        </message>
        <message>
            <source>The noise seed: the same seed and settings give the same take</source>
            <translation>ノイズのシード: 同じシードと設定なら同じテイクになります</translation>
        </message>
        <message>
            <source>Random seed</source>
            <translation>ランダムなシード</translation>
        </message>
        <message>
            <source>Roll a new random seed</source>
            <translation>新しいシードをランダムに選ぶ</translation>
        </message>
        <message>
            <source>S&amp;teps:</source>
            <translation>ステップ(&amp;T):</translation>
        </message>
        <message>
            <source>Denoising steps</source>
            <translation>ノイズ除去ステップ</translation>
        </message>
        <message>
            <source>The denoising timesteps, strictly decreasing, e.g. 1000, 750, 500, 250</source>
            <translation>ノイズ除去のタイムステップ（厳密に減少、例: 1000, 750, 500, 250）</translation>
        </message>
        <message>
            <source>Dec&amp;oder:</source>
            <translation>デコーダー(&amp;O):</translation>
        </message>
        <message>
            <source>Decoder</source>
            <translation>デコーダー</translation>
        </message>
        <message>
            <source>The decoder of the final frames: wan-vae (full quality) or taehv (fast)</source>
            <translation>最終フレームのデコーダー: wan-vae（最高品質）または taehv（高速）</translation>
        </message>
        <message>
            <source>Wan VAE (full quality)</source>
            <translation>Wan VAE（最高品質）</translation>
        </message>
        <message>
            <source>TAEHV (fast)</source>
            <translation>TAEHV（高速）</translation>
        </message>
        <message>
            <source>&amp;Window / sink:</source>
            <translation>ウィンドウ / シンク(&amp;W):</translation>
        </message>
        <message>
            <source>Attention window</source>
            <translation>アテンションウィンドウ</translation>
        </message>
        <message>
            <source>Latent frames of context the model attends to; 0 = the whole take so far</source>
            <translation>モデルが参照する文脈の潜在フレーム数。0 = これまでのテイク全体</translation>
        </message>
        <message>
            <source>Full context</source>
            <translation>全文脈</translation>
        </message>
        <message>
            <source>Sink frames</source>
            <translation>シンクフレーム</translation>
        </message>
        <message>
            <source>Latent frames at the start kept in view when the window rolls on</source>
            <translation>ウィンドウが進んでも参照し続ける先頭の潜在フレーム</translation>
        </message>
        <message>
            <source> sink</source>
            <translation> シンク</translation>
        </message>
        <message>
            <source>De&amp;vice:</source>
            <translation>デバイス(&amp;V):</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>デバイス</translation>
        </message>
        <message>
            <source>Where the model runs: auto, cpu, cuda or cuda:N</source>
            <translation>モデルを実行する場所: auto、cpu、cuda、cuda:N</translation>
        </message>
        <message>
            <source>&amp;Model:</source>
            <translation>モデル(&amp;M):</translation>
        </message>
        <message>
            <source>Model folder</source>
            <translation>モデルフォルダー</translation>
        </message>
        <message>
            <source>The folder of model files the project uses</source>
            <translation>プロジェクトが使うモデルファイルのフォルダー</translation>
        </message>
        <message>
            <source>Built-in demo model (untrained)</source>
            <translation>内蔵デモモデル（未学習）</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>選択…</translation>
        </message>
        <message>
            <source>Choose model folder</source>
            <translation>モデルフォルダーを選択</translation>
        </message>
        <message>
            <source>Pick a folder of model files</source>
            <translation>モデルファイルのフォルダーを選ぶ</translation>
        </message>
        <message>
            <source>Demo</source>
            <translation>デモ</translation>
        </message>
        <message>
            <source>Use the demo model</source>
            <translation>デモモデルを使う</translation>
        </message>
        <message>
            <source>Use the built-in demo model (untrained: it makes structured noise)</source>
            <translation>内蔵デモモデルを使う（未学習: 構造化されたノイズを生成します）</translation>
        </message>
        <message>
            <source>Keyframe image</source>
            <translation>キーフレーム画像</translation>
        </message>
        <message>
            <source>The keyframe's image</source>
            <translation>キーフレームの画像</translation>
        </message>
        <message>
            <source>File:</source>
            <translation>ファイル:</translation>
        </message>
        <message>
            <source>Frame:</source>
            <translation>フレーム:</translation>
        </message>
        <message>
            <source>St&amp;rength:</source>
            <translation>強さ(&amp;R):</translation>
        </message>
        <message>
            <source>Strength</source>
            <translation>強さ</translation>
        </message>
        <message>
            <source>How far the landing frame blends toward the image (1: exactly the image)</source>
            <translation>到達フレームを画像へどれだけ近づけるか（1: 画像そのもの）</translation>
        </message>
        <message>
            <source>&amp;Fit:</source>
            <translation>フィット(&amp;F):</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>フィット</translation>
        </message>
        <message>
            <source>How the image meets the video size: cover (crop), fit (bars) or stretch</source>
            <translation>画像を動画サイズに合わせる方法: カバー（切り抜き）、フィット（余白）、引き伸ばし</translation>
        </message>
        <message>
            <source>Cover (crop)</source>
            <translation>カバー（切り抜き）</translation>
        </message>
        <message>
            <source>Fit (bars)</source>
            <translation>フィット（余白）</translation>
        </message>
        <message>
            <source>Stretch</source>
            <translation>引き伸ばし</translation>
        </message>
        <message>
            <source>&amp;Approach:</source>
            <translation>アプローチ(&amp;A):</translation>
        </message>
        <message>
            <source>Approach chunks</source>
            <translation>アプローチのチャンク数</translation>
        </message>
        <message>
            <source>Chunks before the landing that are pulled toward the image; 0: none</source>
            <translation>到達前に画像へ引き寄せるチャンク数。0: なし</translation>
        </message>
        <message>
            <source> chunks</source>
            <translation> チャンク</translation>
        </message>
        <message>
            <source>Approach &amp;weight:</source>
            <translation>アプローチの重み(&amp;W):</translation>
        </message>
        <message>
            <source>Approach weight</source>
            <translation>アプローチの重み</translation>
        </message>
        <message>
            <source>The largest pull toward the image during the approach (0…1)</source>
            <translation>アプローチ中に画像へ引き寄せる最大の強さ（0…1）</translation>
        </message>
        <message>
            <source>Approach ste&amp;ps:</source>
            <translation>アプローチのステップ(&amp;P):</translation>
        </message>
        <message>
            <source>Approach steps</source>
            <translation>アプローチのステップ</translation>
        </message>
        <message>
            <source>The early denoising steps in which the approach pulls</source>
            <translation>アプローチが作用する初期のノイズ除去ステップ</translation>
        </message>
        <message>
            <source>&amp;Label:</source>
            <translation>ラベル(&amp;L):</translation>
        </message>
        <message>
            <source>Label</source>
            <translation>ラベル</translation>
        </message>
        <message>
            <source>A name for the keyframe, shown on the timeline</source>
            <translation>タイムラインに表示するキーフレームの名前</translation>
        </message>
        <message>
            <source>Prompt text</source>
            <translation>プロンプトのテキスト</translation>
        </message>
        <message>
            <source>What the video shows from this segment's first frame on</source>
            <translation>このセグメントの最初のフレームから動画に映す内容</translation>
        </message>
        <message>
            <source>Token count</source>
            <translation>トークン数</translation>
        </message>
        <message>
            <source>Prompt tokens against the text encoder's limit; words beyond it are ignored</source>
            <translation>テキストエンコーダーの上限に対するプロンプトのトークン数。超えた語は無視されます</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>名前(&amp;N):</translation>
        </message>
        <message>
            <source>Marker name</source>
            <translation>マーカー名</translation>
        </message>
        <message>
            <source>The marker's name, shown on the timeline</source>
            <translation>タイムラインに表示するマーカーの名前</translation>
        </message>
        <message>
            <source>&amp;Frame:</source>
            <translation>フレーム(&amp;F):</translation>
        </message>
        <message>
            <source>Marker frame</source>
            <translation>マーカーのフレーム</translation>
        </message>
        <message>
            <source>The frame the marker sits on</source>
            <translation>マーカーを置くフレーム</translation>
        </message>
        <message>
            <source>Take details</source>
            <translation>テイクの詳細</translation>
        </message>
        <message>
            <source>How this take was generated</source>
            <translation>このテイクの生成方法</translation>
        </message>
        <message>
            <source>Render Settings</source>
            <translation>レンダリング設定</translation>
        </message>
        <message>
            <source>Keyframe</source>
            <translation>キーフレーム</translation>
        </message>
        <message>
            <source>Prompt Segment</source>
            <translation>プロンプトセグメント</translation>
        </message>
        <message>
            <source>Marker</source>
            <translation>マーカー</translation>
        </message>
        <message>
            <source>Take</source>
            <translation>テイク</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>%1 (%2 s)</source>
            <translation>%1（%2 秒）</translation>
        </message>
        <message>
            <source>Frames %1–%2 (%3–%4 s)</source>
            <translation>フレーム %1–%2（%3–%4 秒）</translation>
        </message>
        <message>
            <source>Take %1, made %2</source>
            <translation>テイク %1（%2 作成）</translation>
        </message>
        <message>
            <source>complete: %1 of %2 chunks</source>
            <translation>完了: %2 チャンク中 %1</translation>
        </message>
        <message>
            <source>stopped after %1 of %2 chunks</source>
            <translation>%2 チャンク中 %1 で停止</translation>
        </message>
        <message>
            <source>generating: %1 of %2 chunks done</source>
            <translation>生成中: %2 チャンク中 %1 完了</translation>
        </message>
        <message>
            <source>Status: %1</source>
            <translation>状態: %1</translation>
        </message>
        <message>
            <source>Frames: %1 of %2 (%3 s)</source>
            <translation>フレーム: %2 中 %1（%3 秒）</translation>
        </message>
        <message>
            <source>Size: %1 × %2</source>
            <translation>サイズ: %1 × %2</translation>
        </message>
        <message>
            <source>Seed: %1</source>
            <translation>シード: %1</translation>
        </message>
        <message>
            <source>Steps: %1</source>
            <translation>ステップ: %1</translation>
        </message>
        <message>
            <source>Decoder: %1</source>
            <translation>デコーダー: %1</translation>
        </message>
        <message>
            <source>Attention: full context</source>
            <translation>アテンション: 全文脈</translation>
        </message>
        <message>
            <source>Attention: window of %1 latent frames, %2 sink</source>
            <translation>アテンション: %1 潜在フレームのウィンドウ、シンク %2</translation>
        </message>
        <message>
            <source>Device: %1</source>
            <translation>デバイス: %1</translation>
        </message>
        <message>
            <source>Model: %1</source>
            <translation>モデル: %1</translation>
        </message>
        <message>
            <source>built-in demo model (untrained)</source>
            <translation>内蔵デモモデル（未学習）</translation>
        </message>
        <message>
            <source>Regenerated from chunk %1 of take %2</source>
            <translation>テイク %2 のチャンク %1 から再生成</translation>
        </message>
        <message>
            <source>Generated from the start</source>
            <translation>最初から生成</translation>
        </message>
        <message>
            <source>Regenerated as: %1</source>
            <translation>再生成したテイク: %1</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>読み込み中…</translation>
        </message>
        <message>
            <source>Loading keyframe image</source>
            <translation>キーフレーム画像を読み込み中</translation>
        </message>
        <message>
            <source>The image cannot be shown: %1</source>
            <translation>画像を表示できません: %1</translation>
        </message>
        <message>
            <source>%1 / %2 tokens</source>
            <translation>%1 / %2 トークン</translation>
        </message>
        <message>
            <source>≈ %1 / %2 tokens (estimate: no tokenizer)</source>
            <translation>≈ %1 / %2 トークン（推定: トークナイザーなし）</translation>
        </message>
        <message>
            <source>— over the limit: the words past it are ignored</source>
            <translation>— 上限超過: 超えた語は無視されます</translation>
        </message>
        <message>
            <source>Counted with the model's tokenizer</source>
            <translation>モデルのトークナイザーで数えました</translation>
        </message>
        <message>
            <source>Estimated from the text's length: %1</source>
            <translation>テキストの長さから推定: %1</translation>
        </message>
        <message>
            <source>&amp;Preview:</source>
            <translation>プレビュー(&amp;P):</translation>
        </message>
        <message>
            <source>Preview decoder</source>
            <translation>プレビューデコーダー</translation>
        </message>
        <message>
            <source>What the live preview shows while a take generates: the final decoder's frames, or TAEHV's fast ones while the final decoder makes the take</source>
            <translation>テイク生成中のライブプレビューに表示するもの: 最終デコーダーのフレーム、または最終デコーダーがテイクを作る間の TAEHV の高速フレーム</translation>
        </message>
        <message>
            <source>The final decoder's frames</source>
            <translation>最終デコーダーのフレーム</translation>
        </message>
        <message>
            <source>TAEHV (fast preview)</source>
            <translation>TAEHV(高速プレビュー)</translation>
        </message>
        <message>
            <source>P&amp;recision:</source>
            <translation>精度(&amp;R):</translation>
        </message>
        <message>
            <source>Precision</source>
            <translation>精度</translation>
        </message>
        <message>
            <source>The number format of the models' weights and caches: lower precision halves the memory; float16 runs on a GPU only</source>
            <translation>モデルの重みとキャッシュの数値形式: 精度を下げるとメモリが半分になります。float16 は GPU でのみ動作します</translation>
        </message>
        <message>
            <source>Auto (bfloat16 on a GPU, float32 on the CPU)</source>
            <translation>自動(GPU では bfloat16、CPU では float32)</translation>
        </message>
        <message>
            <source>float16 (GPU only)</source>
            <translation>float16(GPU のみ)</translation>
        </message>
        <message>
            <source>Te&amp;xt encoder:</source>
            <translation>テキストエンコーダー(&amp;X):</translation>
        </message>
        <message>
            <source>Text encoder device</source>
            <translation>テキストエンコーダーのデバイス</translation>
        </message>
        <message>
            <source>Where the text encoder runs when a prompt is encoded: on the CPU, or on the GPU (freed after encoding)</source>
            <translation>プロンプトをエンコードするときにテキストエンコーダーを実行する場所: CPU、または GPU(エンコード後に解放)</translation>
        </message>
        <message>
            <source>Auto (the GPU when it has 24 GiB or more)</source>
            <translation>自動(24 GiB 以上ある GPU なら GPU)</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>GPU (freed after encoding)</source>
            <translation>GPU(エンコード後に解放)</translation>
        </message>
        <message>
            <source>LoRA:</source>
            <translation>LoRA:</translation>
        </message>
        <message>
            <source>VA&amp;CE:</source>
            <translation>VACE(&amp;C):</translation>
        </message>
        <message>
            <source>Steer by VACE</source>
            <translation>VACE で誘導</translation>
        </message>
        <message>
            <source>VACE</source>
            <translation>VACE</translation>
        </message>
        <message>
            <source>Also steer toward the image with VACE: a context in the landing chunk, a reference in the approach (needs VACE weights)</source>
            <translation>VACE でも画像へ誘導します: 着地チャンクではコンテキスト、アプローチでは参照画像として(VACE の重みが必要)</translation>
        </message>
        <message>
            <source>VACE &amp;scale:</source>
            <translation>VACE スケール(&amp;S):</translation>
        </message>
        <message>
            <source>VACE scale</source>
            <translation>VACE スケール</translation>
        </message>
        <message>
            <source>How strongly the VACE context acts (0…%1)</source>
            <translation>VACE コンテキストの効きの強さ(0…%1)</translation>
        </message>
        <message>
            <source>The number format of the models' weights and caches: lower precision halves the memory; float16 runs on a GPU only. Auto: bfloat16 on a GPU, float32 on the CPU</source>
            <translation>モデルの重みとキャッシュの数値形式: 精度を下げるとメモリが半分になります。float16 は GPU でのみ動作します。自動: GPU では bfloat16、CPU では float32</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>自動</translation>
        </message>
        <message>
            <source>Where the text encoder runs when a prompt is encoded: on the CPU, or on the GPU (freed after encoding). Auto: the GPU when it has 24 GiB or more</source>
            <translation>プロンプトをエンコードするときにテキストエンコーダーを実行する場所: CPU、または GPU(エンコード後に解放)。自動: 24 GiB 以上ある GPU なら GPU</translation>
        </message>
        <message>
            <source>Re&amp;ference:</source>
            <translation>参照画像(&amp;F):</translation>
        </message>
        <message>
            <source>An image every chunk is steered toward by VACE: its style or its subject's identity (needs VACE weights; the demo model has them)</source>
            <translation>VACE がすべてのチャンクをこの画像のスタイルや被写体の同一性へ誘導します(VACE の重みが必要。デモモデルにはあります)</translation>
        </message>
        <message>
            <source>Reference image</source>
            <translation>参照画像</translation>
        </message>
        <message>
            <source>Reference image file</source>
            <translation>参照画像のファイル</translation>
        </message>
        <message>
            <source>Choose reference image</source>
            <translation>参照画像を選択</translation>
        </message>
        <message>
            <source>Pick an image file; it is copied into the project's assets</source>
            <translation>画像ファイルを選びます。プロジェクトのアセットにコピーされます</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>クリア</translation>
        </message>
        <message>
            <source>Clear reference image</source>
            <translation>参照画像をクリア</translation>
        </message>
        <message>
            <source>Generate without a reference image</source>
            <translation>参照画像なしで生成します</translation>
        </message>
        <message>
            <source>This model has no VACE weights, so a take with a reference image cannot be generated: add Wan2.1-VACE-1.3B's weights to the model folder, use the demo model, or clear the image.</source>
            <translation>このモデルには VACE の重みがないため、参照画像付きのテイクは生成できません。Wan2.1-VACE-1.3B の重みをモデルフォルダーに追加するか、デモモデルを使うか、画像をクリアしてください。</translation>
        </message>
        <message>
            <source>Reference stren&amp;gth:</source>
            <translation>参照の強さ(&amp;G):</translation>
        </message>
        <message>
            <source>Reference strength</source>
            <translation>参照の強さ</translation>
        </message>
        <message>
            <source>How strongly the reference image steers every chunk (the VACE context scale, 0…%1)</source>
            <translation>参照画像が各チャンクを誘導する強さ(VACE コンテキストのスケール、0…%1)</translation>
        </message>
        <message>
            <source>Importing %1…</source>
            <translation>%1 を読み込み中…</translation>
        </message>
        <message>
            <source>None</source>
            <translation>なし</translation>
        </message>
        <message>
            <source>Looking for VACE weights</source>
            <translation>VACE の重みを探しています</translation>
        </message>
        <message>
            <source>Choose Reference Image</source>
            <translation>参照画像を選択</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>画像</translation>
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
            <source>%1[*] — sfstudio</source>
            <extracomment>Window title: the project's name, the modified marker, the application.</extracomment>
            <translation>%1[*] — sfstudio</translation>
        </message>
        <message>
            <source>sfstudio projects (*.%1)</source>
            <translation>sfstudio プロジェクト (*.%1)</translation>
        </message>
        <message>
            <source>The project “%1” has unsaved changes.</source>
            <translation>プロジェクト「%1」には保存されていない変更があります。</translation>
        </message>
        <message>
            <source>Do you want to save them?</source>
            <translation>保存しますか?</translation>
        </message>
        <message>
            <source>New project</source>
            <translation>新規プロジェクト</translation>
        </message>
        <message>
            <source>Open Project</source>
            <translation>プロジェクトを開く</translation>
        </message>
        <message>
            <source>Opening “%1”…</source>
            <translation>「%1」を開いています…</translation>
        </message>
        <message>
            <source>The project “%1” could not be opened.</source>
            <translation>プロジェクト「%1」を開けませんでした。</translation>
        </message>
        <message>
            <source>Opened “%1”</source>
            <translation>「%1」を開きました</translation>
        </message>
        <message>
            <source>The project could not be saved.</source>
            <translation>プロジェクトを保存できませんでした。</translation>
        </message>
        <message>
            <source>Saved “%1”</source>
            <translation>「%1」を保存しました</translation>
        </message>
        <message>
            <source>Save Project As</source>
            <translation>名前を付けてプロジェクトを保存</translation>
        </message>
        <message>
            <source>Saving “%1”…</source>
            <translation>「%1」を保存しています…</translation>
        </message>
        <message>
            <source>Recovered “%1”: save it to keep the changes</source>
            <translation>「%1」を復元しました: 変更を残すには保存してください</translation>
        </message>
        <message>
            <source>The unsaved changes could not be recovered.</source>
            <translation>保存されていない変更を復元できませんでした。</translation>
        </message>
        <message>
            <source>Projects and exported clips (*.%1 *.mp4 *.mov *.m4v *.json)</source>
            <translation>プロジェクトと書き出したクリップ (*.%1 *.mp4 *.mov *.m4v *.json)</translation>
        </message>
        <message>
            <source>Exported clips and sequence sidecars (*.mp4 *.mov *.m4v *.json)</source>
            <translation>書き出したクリップと連番のサイドカー (*.mp4 *.mov *.m4v *.json)</translation>
        </message>
        <message>
            <source>“%1” could not be opened as a project.</source>
            <translation>「%1」をプロジェクトとして開けませんでした。</translation>
        </message>
        <message>
            <source>Opened the project of “%1” (take %2): save it to keep it</source>
            <translation>「%1」のプロジェクトを開きました (テイク %2): 残すには保存してください</translation>
        </message>
        <message>
            <source>Some keyframes of “%1” could not be recovered.</source>
            <translation>「%1」の一部のキーフレームを復元できませんでした。</translation>
        </message>
        <message>
            <source>This build of sfstudio has no video support (FFmpeg).</source>
            <translation>この sfstudio のビルドは動画 (FFmpeg) に対応していません。</translation>
        </message>
        <message>
            <source>Export Take</source>
            <translation>テイクを書き出す</translation>
        </message>
        <message>
            <source>The export failed.</source>
            <translation>書き出しに失敗しました。</translation>
        </message>
        <message>
            <source>An export is running: cancel it or let it finish first</source>
            <translation>書き出し中です。キャンセルするか、終わるまでお待ちください</translation>
        </message>
        <message>
            <source>Recovering “%1”…</source>
            <translation>「%1」を復元しています…</translation>
        </message>
        <message>
            <source>Exporting to “%1”…</source>
            <translation>「%1」に書き出しています…</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>停止しています…</translation>
        </message>
        <message>
            <source>The export to “%1” failed.</source>
            <translation>「%1」への書き出しに失敗しました。</translation>
        </message>
        <message numerus="yes">
            <source>Export stopped: “%1” holds the first %n frame(s)</source>
            <translation>
                <numerusform>書き出しを停止しました: 「%1」には最初の %n フレームが入っています</numerusform>
            </translation>
        </message>
        <message>
            <source>Export cancelled: nothing was written</source>
            <translation>書き出しをキャンセルしました: 何も書き込まれていません</translation>
        </message>
        <message numerus="yes">
            <source>Exported take %1 to “%2” (%n frame(s))</source>
            <translation>
                <numerusform>テイク %1 を「%2」に書き出しました (%n フレーム)</numerusform>
            </translation>
        </message>
        <message>
            <source>Model: built-in demo (untrained)</source>
            <translation>モデル: 内蔵デモ（未学習）</translation>
        </message>
        <message>
            <source>The built-in demo model has seeded random weights: it generates noise, not video. Choose a model folder in the render settings for real results.</source>
            <translation>内蔵デモモデルの重みは乱数です。動画ではなくノイズを生成します。実際の結果を得るには、レンダー設定でモデルフォルダーを選んでください。</translation>
        </message>
        <message>
            <source>Model: %1</source>
            <translation>モデル: %1</translation>
        </message>
        <message>
            <source>Exporting take %1 to “%2” as it is generated…</source>
            <translation>テイク %1 を生成しながら「%2」に書き出しています…</translation>
        </message>
        <message>
            <source>Generate a new take of the timeline</source>
            <translation>タイムラインの新しいテイクを生成する</translation>
        </message>
        <message>
            <source>&amp;Continue</source>
            <translation>続行(&amp;C)</translation>
        </message>
        <message>
            <source>Continue a stopped take from its last whole chunk (as a new take)</source>
            <translation>停止したテイクを最後の完全なチャンクから続ける（新しいテイクとして）</translation>
        </message>
        <message>
            <source>&amp;Regenerate from Playhead</source>
            <translation>再生ヘッドから再生成(&amp;R)</translation>
        </message>
        <message>
            <source>Keep the shown take up to the chunk under the playhead and generate the rest anew (as a new take)</source>
            <translation>表示中のテイクを再生ヘッドのあるチャンクまで残し、残りを生成し直す（新しいテイクとして）</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>準備完了</translation>
        </message>
        <message>
            <source>Loading the model…</source>
            <translation>モデルを読み込んでいます…</translation>
        </message>
        <message>
            <source>Continuing</source>
            <translation>続行中</translation>
        </message>
        <message>
            <source>Regenerating</source>
            <translation>再生成中</translation>
        </message>
        <message>
            <source>Generating</source>
            <translation>生成中</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Finished</source>
            <translation>完了</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>失敗</translation>
        </message>
        <message>
            <source>The generation failed: %1</source>
            <translation>生成に失敗しました: %1</translation>
        </message>
        <message numerus="yes">
            <source>Take %1 keeps its %n whole chunk(s).</source>
            <translation>
                <numerusform>テイク %1 には完全なチャンクが %n 個残ります。</numerusform>
            </translation>
        </message>
        <message>
            <source>Stopped before the take started</source>
            <translation>テイクの開始前に停止しました</translation>
        </message>
        <message numerus="yes">
            <source>Stopped: take %1 keeps %n whole chunk(s)</source>
            <translation>
                <numerusform>停止しました: テイク %1 には完全なチャンクが %n 個残ります</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Take %1 is complete: %n frame(s) in %2</source>
            <translation>
                <numerusform>テイク %1 が完了しました: %n フレームを %2 で生成</numerusform>
            </translation>
        </message>
        <message>
            <source>Details</source>
            <translation>詳細</translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <source> · chunk %1/%2 · %3 fps · %4:%5 left</source>
            <extracomment>Status bar while generating: chunks done of all, frames per second, time left.</extracomment>
            <translation> · チャンク %1/%2 · %3 fps · 残り %4:%5</translation>
        </message>
        <message>
            <source>This project uses the built-in demo model. It is untrained: it makes noise-like video, not real scenes, so that every part of the studio can be tried without a download.</source>
            <translation>このプロジェクトは内蔵デモモデルを使っています。未学習のため、実際の場面ではなくノイズのような動画を生成します。ダウンロードなしでスタジオのすべての機能を試せるようにするためのモデルです。</translation>
        </message>
        <message>
            <source>To generate real video, put the Self-Forcing model files (the DiT, the Wan VAE, the umT5 text encoder and its tokenizer) in one folder, check it with

    sfstudio-cli models inspect FOLDER

and choose that folder as the model folder in the render settings (the Inspector with nothing selected). The README's "Model files" section lists the files.</source>
            <translation>実際の動画を生成するには、Self-Forcing のモデルファイル（DiT、Wan VAE、umT5 テキストエンコーダーとそのトークナイザー）を一つのフォルダーに置いて次のコマンドで確認し、

    sfstudio-cli models inspect フォルダー

レンダー設定（何も選択していないときのインスペクター）でそのフォルダーをモデルフォルダーとして選んでください。必要なファイルは README の「Model files」の節に載っています。</translation>
        </message>
        <message>
            <source>&amp;Playback</source>
            <translation>再生(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Model Setup…</source>
            <translation>モデルの設定(&amp;M)…</translation>
        </message>
        <message>
            <source>Choose the model files this project generates with</source>
            <translation>このプロジェクトの生成に使うモデルファイルを選択</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>キーボードショートカット(&amp;K)</translation>
        </message>
        <message>
            <source>List every keyboard shortcut of the studio</source>
            <translation>スタジオのすべてのキーボードショートカットを一覧表示</translation>
        </message>
        <message>
            <source>&amp;Close Project</source>
            <translation>プロジェクトを閉じる(&amp;C)</translation>
        </message>
        <message>
            <source>Close the project and show the start page</source>
            <translation>プロジェクトを閉じてスタートページを表示します</translation>
        </message>
        <message>
            <source>&amp;User Guide</source>
            <translation>ユーザーガイド(&amp;U)</translation>
        </message>
        <message>
            <source>Read how to set up models, storyboard and export</source>
            <translation>モデルの設定、ストーリーボードの作り方、書き出しの方法を読みます</translation>
        </message>
        <message numerus="yes">
            <source>Unsaved changes of %n project(s) can be recovered: File &gt; Close Project shows them.</source>
            <translation>
                <numerusform>%n 件のプロジェクトの未保存の変更を復元できます: ファイル &gt; プロジェクトを閉じる で表示されます。</numerusform>
            </translation>
        </message>
        <message>
            <source>The saved file, to compare with the recovered changes in the other window</source>
            <translation>保存されたファイルです。もう一方のウィンドウの復元された変更と比べてください</translation>
        </message>
        <message>
            <source>Discarding the changes to “%1”…</source>
            <translation>「%1」の変更を破棄しています…</translation>
        </message>
        <message>
            <source>The sample project was not found.</source>
            <translation>サンプルプロジェクトが見つかりませんでした。</translation>
        </message>
        <message>
            <source>sfstudio looked for it in:
%1</source>
            <translation>sfstudio が探した場所:
%1</translation>
        </message>
        <message>
            <source>Copying the sample project…</source>
            <translation>サンプルプロジェクトをコピーしています…</translation>
        </message>
        <message>
            <source>The sample project could not be opened.</source>
            <translation>サンプルプロジェクトを開けませんでした。</translation>
        </message>
        <message>
            <source>Recover Unsaved Changes</source>
            <translation>保存されていない変更の復元</translation>
        </message>
        <message>
            <source>sfstudio did not close properly last time.</source>
            <translation>前回 sfstudio は正常に終了しませんでした。</translation>
        </message>
        <message>
            <source>Unsaved changes to “%1” were saved automatically at %2. Recover them?</source>
            <translation>「%1」の保存されていない変更は %2 に自動保存されています。復元しますか?</translation>
        </message>
        <message>
            <source>A recovery file could not be read: %1</source>
            <translation>復元ファイルを読み込めませんでした: %1</translation>
        </message>
        <message>
            <source>Recover</source>
            <translation>復元</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>破棄</translation>
        </message>
        <message>
            <source>Not Now</source>
            <translation>後で</translation>
        </message>
        <message>
            <source>Not generated: the take needs about %1 of memory, %2 more than the %3 free. The inspector's render settings show settings that fit.</source>
            <translation>生成しませんでした: テイクには約 %1 のメモリが必要で、空きの %3 より %2 多くなります。インスペクターのレンダー設定に収まる設定が表示されています。</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::ModelSetupDialog</name>
        <message>
            <source>Model Setup</source>
            <translation>モデルの設定</translation>
        </message>
        <message>
            <source>sfstudio reads the model files you already have. Choose the folder that holds them, or the built-in demo model to try every feature without a download.</source>
            <translation>sfstudio はお手元のモデルファイルを読み込みます。ファイルのあるフォルダーを選ぶか、ダウンロードなしですべての機能を試せる内蔵デモモデルを選んでください。</translation>
        </message>
        <message>
            <source>Choose Folder…</source>
            <translation>フォルダーを選択…</translation>
        </message>
        <message>
            <source>Use the Built-in Demo Model</source>
            <translation>内蔵デモモデルを使用</translation>
        </message>
        <message>
            <source>Tiny, untrained: it produces noise-like video, not real footage. For trying the studio without a download.</source>
            <translation>小さく未学習のモデルです。実際の映像ではなく、ノイズのような動画を生成します。ダウンロードなしでスタジオを試すためのものです。</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>モデル:</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>役割</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状態</translation>
        </message>
        <message>
            <source>File</source>
            <translation>ファイル</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>型</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>サイズ</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>構成</translation>
        </message>
        <message>
            <source>Files to look for</source>
            <translation>探すファイル</translation>
        </message>
        <message>
            <source>Problems:</source>
            <translation>問題:</translation>
        </message>
        <message>
            <source>Use This Model</source>
            <translation>このモデルを使用</translation>
        </message>
        <message>
            <source>Built-in demo model (untrained, noise-like video)</source>
            <translation>内蔵デモモデル（未学習、ノイズのような動画）</translation>
        </message>
        <message>
            <source>Looking for model files…</source>
            <translation>モデルファイルを検索しています…</translation>
        </message>
        <message>
            <source>Looking for model files</source>
            <translation>モデルファイルの検索</translation>
        </message>
        <message>
            <source>Choose the Model Folder</source>
            <translation>モデルフォルダーの選択</translation>
        </message>
        <message>
            <source>Found</source>
            <translation>検出</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>問題あり</translation>
        </message>
        <message>
            <source>Missing</source>
            <translation>なし</translation>
        </message>
        <message>
            <source>Missing (optional)</source>
            <translation>なし（任意）</translation>
        </message>
        <message>
            <source>Look for: %1</source>
            <translation>探すもの: %1</translation>
        </message>
        <message>
            <source>This folder cannot be read: %1</source>
            <translation>このフォルダーは読み込めません: %1</translation>
        </message>
        <message>
            <source>The built-in demo model: tiny and untrained, it produces noise-like video. Good for trying every feature; choose a folder with the real model files for real video.</source>
            <translation>内蔵デモモデル: 小さく未学習で、ノイズのような動画を生成します。すべての機能を試すのに向いています。実際の動画には、本物のモデルファイルがあるフォルダーを選んでください。</translation>
        </message>
        <message>
            <source>Every required model was found. Ready to generate.</source>
            <translation>必要なモデルがすべて見つかりました。生成できます。</translation>
        </message>
        <message>
            <source>This folder cannot be used yet: see the problems below.</source>
            <translation>このフォルダーはまだ使用できません。下の問題を確認してください。</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PlaybackControls</name>
        <message>
            <source>&amp;Play/Pause</source>
            <translation>再生/一時停止(&amp;P)</translation>
        </message>
        <message>
            <source>Play the take or pause it</source>
            <translation>テイクを再生または一時停止する</translation>
        </message>
        <message>
            <source>Play &amp;Backward</source>
            <translation>逆方向に再生(&amp;B)</translation>
        </message>
        <message>
            <source>Play backward; each press doubles the speed up to 8×</source>
            <translation>逆方向に再生する。押すたびに速度が倍になる（最大 8×）</translation>
        </message>
        <message>
            <source>P&amp;ause</source>
            <translation>一時停止(&amp;A)</translation>
        </message>
        <message>
            <source>Pause playback</source>
            <translation>再生を一時停止する</translation>
        </message>
        <message>
            <source>Play &amp;Forward</source>
            <translation>順方向に再生(&amp;F)</translation>
        </message>
        <message>
            <source>Play forward; each press doubles the speed up to 8×</source>
            <translation>順方向に再生する。押すたびに速度が倍になる（最大 8×）</translation>
        </message>
        <message>
            <source>Previous F&amp;rame</source>
            <translation>前のフレーム(&amp;R)</translation>
        </message>
        <message>
            <source>Step one frame back</source>
            <translation>1 フレーム戻る</translation>
        </message>
        <message>
            <source>&amp;Next Frame</source>
            <translation>次のフレーム(&amp;N)</translation>
        </message>
        <message>
            <source>Step one frame forward</source>
            <translation>1 フレーム進む</translation>
        </message>
        <message>
            <source>Go to &amp;Start</source>
            <translation>先頭へ移動(&amp;S)</translation>
        </message>
        <message>
            <source>Move the playhead to the first frame</source>
            <translation>再生ヘッドを最初のフレームへ移動する</translation>
        </message>
        <message>
            <source>Go to &amp;End</source>
            <translation>末尾へ移動(&amp;E)</translation>
        </message>
        <message>
            <source>Move the playhead to the last frame</source>
            <translation>再生ヘッドを最後のフレームへ移動する</translation>
        </message>
        <message>
            <source>Set &amp;In Point</source>
            <translation>イン点を設定(&amp;I)</translation>
        </message>
        <message>
            <source>Playback and export start at the playhead</source>
            <translation>再生と書き出しを再生ヘッドの位置から始める</translation>
        </message>
        <message>
            <source>Set &amp;Out Point</source>
            <translation>アウト点を設定(&amp;O)</translation>
        </message>
        <message>
            <source>Playback and export end at the playhead</source>
            <translation>再生と書き出しを再生ヘッドの位置で終える</translation>
        </message>
        <message>
            <source>&amp;Clear In/Out</source>
            <translation>イン点/アウト点を消去(&amp;C)</translation>
        </message>
        <message>
            <source>Play and export the whole timeline</source>
            <translation>タイムライン全体を再生・書き出しする</translation>
        </message>
        <message>
            <source>&amp;Loop</source>
            <translation>ループ再生(&amp;L)</translation>
        </message>
        <message>
            <source>Play the in/out range over and over</source>
            <translation>イン点からアウト点までを繰り返し再生する</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PreviewPanel</name>
        <message>
            <source>&amp;Take:</source>
            <translation>テイク(&amp;T):</translation>
        </message>
        <message>
            <source>&amp;Compare:</source>
            <translation>比較(&amp;C):</translation>
        </message>
        <message>
            <source>&amp;with:</source>
            <translation>比較対象(&amp;W):</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>オフ</translation>
        </message>
        <message>
            <source>Side by side</source>
            <translation>左右に並べて表示</translation>
        </message>
        <message>
            <source>A/B</source>
            <translation>A/B</translation>
        </message>
        <message>
            <source>Show the other take (A: the take chosen, B: the one compared)</source>
            <translation>もう一方のテイクを表示する（A: 選択したテイク、B: 比較するテイク）</translation>
        </message>
        <message>
            <source>Take shown</source>
            <translation>表示するテイク</translation>
        </message>
        <message>
            <source>Take compared</source>
            <translation>比較するテイク</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>プレビュー</translation>
        </message>
        <message>
            <source>Compared take</source>
            <translation>比較テイクのプレビュー</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PreviewWidget</name>
        <message>
            <source>Generating…</source>
            <translation>生成中…</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s · generating at %3 fps</source>
            <extracomment>The preview's overlay while generating: frame, seconds, generation speed.</extracomment>
            <translation>フレーム %1 · %2 秒 · %3 fps で生成中</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s</source>
            <extracomment>The preview's overlay: the frame in view and its time.</extracomment>
            <translation>フレーム %1 · %2 秒</translation>
        </message>
        <message>
            <source>No take yet — press Generate</source>
            <translation>テイクはまだありません — 「生成」を押してください</translation>
        </message>
        <message>
            <source>No take chosen</source>
            <translation>テイクが選択されていません</translation>
        </message>
        <message>
            <source>This take has no frames yet</source>
            <translation>このテイクにはまだフレームがありません</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>読み込み中…</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s · the take ends at frame %3</source>
            <extracomment>The preview's overlay past the take's end: playhead frame, seconds, last frame.</extracomment>
            <translation>フレーム %1 · %2 秒 · テイクはフレーム %3 で終わります</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PromptTokenCounter</name>
        <message>
            <source>Counting prompt tokens</source>
            <translation>プロンプトのトークンを数えています</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::ShortcutsDialog</name>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>キーボードショートカット</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>ショートカット</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>キーボードショートカット</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::StartPage</name>
        <message>
            <source>Reading the recent projects</source>
            <translation>最近のプロジェクトを読み込んでいます</translation>
        </message>
        <message>
            <source>%1
%2
Saved %3</source>
            <extracomment>A recent project on the start page: its name, then its folder and when it was last saved.</extracomment>
            <translation>%1
%2
保存日時 %3</translation>
        </message>
        <message>
            <source>%1, in %2</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>%1 — not found
%2</source>
            <translation>%1 — 見つかりません
%2</translation>
        </message>
        <message>
            <source>%1, not found: %2 (can be removed from the list)</source>
            <translation>%1 が見つかりません: %2 (一覧から削除できます)</translation>
        </message>
        <message>
            <source>A recovery file could not be read: %1</source>
            <translation>復元ファイルを読み込めませんでした: %1</translation>
        </message>
        <message>
            <source>Changes autosaved at %1.</source>
            <translation>%1 に自動保存された変更です。</translation>
        </message>
        <message>
            <source>The project file was saved after that: compare both before you recover.</source>
            <translation>プロジェクトファイルはその後に保存されています。復元する前に両方を比べてください。</translation>
        </message>
        <message>
            <source>The project file is no longer there.</source>
            <translation>プロジェクトファイルはもうありません。</translation>
        </message>
        <message>
            <source>Recover</source>
            <translation>復元</translation>
        </message>
        <message>
            <source>Recover the changes to %1</source>
            <translation>%1 の変更を復元</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>破棄</translation>
        </message>
        <message>
            <source>Discard the changes to %1</source>
            <translation>%1 の変更を破棄</translation>
        </message>
        <message>
            <source>Show Both</source>
            <translation>両方を表示</translation>
        </message>
        <message>
            <source>Show the changes to %1 and the saved file side by side</source>
            <translation>%1 の変更と保存されたファイルを並べて表示</translation>
        </message>
        <message>
            <source>Opens the recovered changes in this window and the saved file in a second window beside it</source>
            <translation>復元された変更をこのウィンドウに、保存されたファイルを隣の 2 つ目のウィンドウに開きます</translation>
        </message>
        <message>
            <source>New projects use the built-in demo model (untrained: it makes noise-like video, so that everything can be tried without a download).</source>
            <translation>新しいプロジェクトは内蔵のデモモデルを使います (未学習: ノイズのような動画を作ります。ダウンロードなしですべてを試せます)。</translation>
        </message>
        <message>
            <source>New projects use the model folder %1.</source>
            <translation>新しいプロジェクトはモデルフォルダー %1 を使います。</translation>
        </message>
        <message>
            <source>sfstudio</source>
            <translation>sfstudio</translation>
        </message>
        <message>
            <source>Storyboard a video with keyframes and prompts, and watch it generate as you work.</source>
            <translation>キーフレームとプロンプトで動画のストーリーボードを作り、作業しながら生成される様子を見られます。</translation>
        </message>
        <message>
            <source>&amp;New Project</source>
            <translation>新規プロジェクト(&amp;N)</translation>
        </message>
        <message>
            <source>New project</source>
            <translation>新規プロジェクト</translation>
        </message>
        <message>
            <source>&amp;Open…</source>
            <translation>開く(&amp;O)…</translation>
        </message>
        <message>
            <source>Open a project</source>
            <translation>プロジェクトを開く</translation>
        </message>
        <message>
            <source>Open the &amp;Sample Project</source>
            <translation>サンプルプロジェクトを開く(&amp;S)</translation>
        </message>
        <message>
            <source>Open the sample project</source>
            <translation>サンプルプロジェクトを開く</translation>
        </message>
        <message>
            <source>A short storyboard with keyframes and prompts, ready to generate with the built-in demo model</source>
            <translation>キーフレームとプロンプトの入った短いストーリーボードです。内蔵のデモモデルですぐに生成できます</translation>
        </message>
        <message>
            <source>&amp;Model Setup…</source>
            <translation>モデルの設定(&amp;M)…</translation>
        </message>
        <message>
            <source>Choose the model for new projects</source>
            <translation>新しいプロジェクトのモデルを選ぶ</translation>
        </message>
        <message>
            <source>Recover unsaved changes</source>
            <translation>未保存の変更を復元</translation>
        </message>
        <message>
            <source>sfstudio did not close properly last time. These changes were saved automatically:</source>
            <translation>前回 sfstudio は正しく終了しませんでした。次の変更は自動保存されています:</translation>
        </message>
        <message>
            <source>Recent Projects</source>
            <translation>最近のプロジェクト</translation>
        </message>
        <message>
            <source>Recent projects</source>
            <translation>最近のプロジェクト</translation>
        </message>
        <message>
            <source>No recent projects yet. Start a new project or open the sample project to try the studio.</source>
            <translation>最近のプロジェクトはまだありません。新しいプロジェクトを始めるか、サンプルプロジェクトを開いてスタジオを試してください。</translation>
        </message>
        <message>
            <source>Open Selected</source>
            <translation>選択したものを開く</translation>
        </message>
        <message>
            <source>&amp;Remove from List</source>
            <translation>一覧から削除(&amp;R)</translation>
        </message>
        <message>
            <source>Removes the project from this list; the file stays</source>
            <translation>プロジェクトをこの一覧から削除します。ファイルは残ります</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::TakeSelector</name>
        <message>
            <source>complete</source>
            <translation>完了</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>generating</source>
            <translation>生成中</translation>
        </message>
        <message>
            <source>%1 · %2 · %3 · %4/%5 chunks</source>
            <extracomment>A take in the take selector: id, when it was made, status, chunks done of planned.</extracomment>
            <translation>%1 · %2 · %3 · %4/%5 チャンク</translation>
        </message>
        <message>
            <source> · from chunk %1 of %2</source>
            <extracomment>A take regenerated from chunk %1 of take %2 ("regenerate from here").</extracomment>
            <translation> · テイク %2 のチャンク %1 から</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::ImageImport</name>
        <message>
            <source>Importing images</source>
            <translation>画像を読み込み中</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::TimelineView</name>
        <message>
            <source>Timeline</source>
            <translation>タイムライン</translation>
        </message>
        <message numerus="yes">
            <source>%n frame(s), %1 keyframe(s), %2 prompt segment(s), %3 marker(s); playhead at frame %4 (%5)</source>
            <extracomment>Accessible description of the timeline: what it holds and where the playhead is.</extracomment>
            <translation>
                <numerusform>%n フレーム、キーフレーム %1 個、プロンプト区間 %2 個、マーカー %3 個。再生ヘッドはフレーム %4（%5）</numerusform>
            </translation>
        </message>
        <message>
            <source>Not possible: %1</source>
            <extracomment>A timeline edit was refused; %1 says why (in English, from the project rules).</extracomment>
            <translation>実行できません: %1</translation>
        </message>
        <message numerus="yes">
            <source>Importing %n image(s)…</source>
            <translation>
                <numerusform>%n 枚の画像を読み込み中…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Add %n Keyframe(s)</source>
            <translation>
                <numerusform>キーフレームを %n 個追加</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Added %n keyframe(s)</source>
            <translation>
                <numerusform>キーフレームを %n 個追加しました</numerusform>
            </translation>
        </message>
        <message>
            <source>Replace Keyframe Image</source>
            <translation>キーフレームの画像を置き換え</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>画像</translation>
        </message>
        <message>
            <source>Prompt text</source>
            <translation>プロンプトのテキスト</translation>
        </message>
        <message>
            <source>Marker name</source>
            <translation>マーカー名</translation>
        </message>
        <message>
            <source>Marker %1</source>
            <extracomment>The name a new marker gets; the user renames it with a double-click.</extracomment>
            <translation>マーカー %1</translation>
        </message>
        <message>
            <source>Cannot place it here: %1</source>
            <extracomment>Shown at the pointer while an item is dragged where it cannot go.</extracomment>
            <translation>ここには置けません: %1</translation>
        </message>
        <message>
            <source>Keyframe not moved: %1</source>
            <translation>キーフレームは移動されませんでした: %1</translation>
        </message>
        <message>
            <source>Marker not moved: %1</source>
            <translation>マーカーは移動されませんでした: %1</translation>
        </message>
        <message>
            <source>Replace Image…</source>
            <translation>画像を置き換え…</translation>
        </message>
        <message>
            <source>Strength</source>
            <translation>強さ</translation>
        </message>
        <message>
            <source>%1%</source>
            <translation>%1%</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>フィット</translation>
        </message>
        <message>
            <source>Cover (crop to fill)</source>
            <translation>カバー（はみ出しを切り取って埋める）</translation>
        </message>
        <message>
            <source>Fit (black bars)</source>
            <translation>フィット（黒帯）</translation>
        </message>
        <message>
            <source>Stretch</source>
            <translation>引き伸ばし</translation>
        </message>
        <message>
            <source>Delete Keyframe</source>
            <translation>キーフレームを削除</translation>
        </message>
        <message>
            <source>Edit Text</source>
            <translation>テキストを編集</translation>
        </message>
        <message>
            <source>Split at Playhead</source>
            <translation>再生ヘッドで分割</translation>
        </message>
        <message>
            <source>Merge with Next</source>
            <translation>次の区間と結合</translation>
        </message>
        <message>
            <source>Delete Segment</source>
            <translation>区間を削除</translation>
        </message>
        <message>
            <source>Rename Marker</source>
            <translation>マーカー名を変更</translation>
        </message>
        <message>
            <source>Delete Marker</source>
            <translation>マーカーを削除</translation>
        </message>
        <message>
            <source>Add Marker at Playhead</source>
            <translation>再生ヘッドにマーカーを追加</translation>
        </message>
        <message>
            <source>Add Keyframe Images…</source>
            <translation>キーフレーム画像を追加…</translation>
        </message>
        <message>
            <source>Add Keyframe Images</source>
            <translation>キーフレーム画像を追加</translation>
        </message>
        <message>
            <source>Zoom to Fit</source>
            <translation>全体を表示</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s · latent frame %3 · chunk %4</source>
            <extracomment>Tooltip line: a frame, its time, its latent frame and its chunk.</extracomment>
            <translation>フレーム %1 · %2 秒 · 潜在フレーム %3 · チャンク %4</translation>
        </message>
        <message>
            <source>Keyframe at frame %1: %2, strength %3%</source>
            <translation>フレーム %1 のキーフレーム: %2、強さ %3%</translation>
        </message>
        <message>
            <source>Changed since this generation started: the take does not show it yet</source>
            <translation>この生成の開始後に変更されました: テイクにはまだ反映されていません</translation>
        </message>
        <message>
            <source>Marker "%1" at frame %2</source>
            <translation>フレーム %2 のマーカー「%1」</translation>
        </message>
        <message>
            <source>(empty prompt)</source>
            <translation>（空のプロンプト）</translation>
        </message>
        <message>
            <source>Never takes effect: a later segment starts in the same chunk, or the timeline ends first</source>
            <translation>適用されません: 同じチャンク内で後の区間が始まるか、その前にタイムラインが終わります</translation>
        </message>
        <message>
            <source>Takes effect at frame %1, the next chunk start</source>
            <translation>次のチャンクの先頭、フレーム %1 から適用されます</translation>
        </message>
        <message>
            <source>Drag to move where this prompt starts</source>
            <translation>ドラッグしてこのプロンプトの開始位置を移動</translation>
        </message>
        <message>
            <source>No take yet: Generate makes one</source>
            <translation>テイクはまだありません: 「生成」で作成されます</translation>
        </message>
        <message>
            <source>Edited while generating: the new prompt applies from frame %1, the next chunk</source>
            <translation>生成中に編集されました: 新しいプロンプトは次のチャンク、フレーム %1 から適用されます</translation>
        </message>
        <message>
            <source>Chunk %1 is being generated</source>
            <translation>チャンク %1 を生成中</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::UserGuideDialog</name>
        <message>
            <source>sfstudio User Guide</source>
            <translation>sfstudio ユーザーガイド</translation>
        </message>
        <message>
            <source>User guide</source>
            <translation>ユーザーガイド</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>読み込み中…</translation>
        </message>
        <message>
            <source>Reading the user guide</source>
            <translation>ユーザーガイドを読み込んでいます</translation>
        </message>
        <message>
            <source>The user guide could not be read: %1</source>
            <translation>ユーザーガイドを読み込めませんでした: %1</translation>
        </message>
        <message>
            <source>The user guide (user-guide.md) was not found. sfstudio looked in:

%1</source>
            <translation>ユーザーガイド (user-guide.md) が見つかりませんでした。sfstudio が探した場所:

%1</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::MemoryPanel</name>
        <message>
            <source>Memory</source>
            <translation>メモリ</translation>
        </message>
        <message>
            <source>Memory estimate</source>
            <translation>メモリ見積もり</translation>
        </message>
        <message>
            <source>The memory the next take needs on its device, estimated from the render settings, against the memory the device has free</source>
            <translation>次のテイクがデバイス上で必要とするメモリ(レンダー設定からの見積もり)と、デバイスの空きメモリの比較</translation>
        </message>
        <message>
            <source>Estimating…</source>
            <translation>見積もり中…</translation>
        </message>
        <message>
            <source>No estimate: %1</source>
            <translation>見積もりなし: %1</translation>
        </message>
        <message>
            <source>the CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>DiT weights (%1)</source>
            <translation>DiT の重み(%1)</translation>
        </message>
        <message numerus="yes">
            <source>KV cache (window of %n latent frame(s))</source>
            <translation>
                <numerusform>KV キャッシュ(%n 潜在フレームのウィンドウ)</numerusform>
            </translation>
        </message>
        <message>
            <source>DiT activations</source>
            <translation>DiT のアクティベーション</translation>
        </message>
        <message>
            <source>Decoders</source>
            <translation>デコーダー</translation>
        </message>
        <message>
            <source>Text encoder</source>
            <translation>テキストエンコーダー</translation>
        </message>
        <message>
            <source>%1 while encoding, then freed</source>
            <translation>エンコード中 %1、その後解放</translation>
        </message>
        <message>
            <source>on another device, not counted</source>
            <translation>別のデバイス上、計上しない</translation>
        </message>
        <message>
            <source>Peak on %1</source>
            <translation>%1 でのピーク</translation>
        </message>
        <message>
            <source>Free on %1</source>
            <translation>%1 の空き</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>不明</translation>
        </message>
        <message>
            <source>The device's free memory is unknown: not checked.</source>
            <translation>デバイスの空きメモリが不明なため、確認していません。</translation>
        </message>
        <message>
            <source>Fits, with %1 to spare.</source>
            <translation>収まります(余裕 %1)。</translation>
        </message>
        <message>
            <source>Does not fit: %1 short. No setting change is enough; use a smaller size, fewer frames or another device.</source>
            <translation>収まりません: %1 不足しています。設定の変更だけでは足りません。サイズを小さくする、フレームを減らす、または別のデバイスを使ってください。</translation>
        </message>
        <message>
            <source>Does not fit: %1 short. Any of these settings would fit:</source>
            <translation>収まりません: %1 不足しています。次のどの設定でも収まります:</translation>
        </message>
        <message>
            <source>A window of %1 latent frames (sink %2)</source>
            <translation>%1 潜在フレームのウィンドウ(シンク %2)</translation>
        </message>
        <message>
            <source>TAEHV as the decoder</source>
            <translation>デコーダーに TAEHV</translation>
        </message>
        <message>
            <source>The text encoder on the CPU</source>
            <translation>テキストエンコーダーを CPU で</translation>
        </message>
        <message>
            <source>%1 instead of %2</source>
            <translation>%2 の代わりに %1</translation>
        </message>
        <message>
            <source>All of these together</source>
            <translation>これらすべてを同時に</translation>
        </message>
        <message>
            <source>%1 (needs %2)</source>
            <translation>%1(必要量 %2)</translation>
        </message>
        <message>
            <source>Change the render settings to this (undoable)</source>
            <translation>レンダー設定をこれに変更します(元に戻せます)</translation>
        </message>
        <message>
            <source>Text encoder (while encoding)</source>
            <translation>テキストエンコーダー(エンコード中)</translation>
        </message>
        <message>
            <source>on another device</source>
            <translation>別のデバイス上</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::LoraListEditor</name>
        <message>
            <source>Add LoRA…</source>
            <translation>LoRA を追加…</translation>
        </message>
        <message>
            <source>Merge a LoRA file (PEFT, diffusers or ComfyUI) into the video model</source>
            <translation>LoRA ファイル（PEFT、diffusers、ComfyUI）を動画モデルに統合します</translation>
        </message>
        <message>
            <source>No LoRA</source>
            <translation>LoRA なし</translation>
        </message>
        <message>
            <source>Strength of LoRA %1</source>
            <translation>LoRA %1 の強さ</translation>
        </message>
        <message>
            <source>1 applies the LoRA as trained, 0 not at all</source>
            <translation>1 は学習どおりに LoRA を適用し、0 はまったく適用しません</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>削除</translation>
        </message>
        <message>
            <source>Remove LoRA %1</source>
            <translation>LoRA %1 を削除</translation>
        </message>
        <message>
            <source>Add LoRA</source>
            <translation>LoRA を追加</translation>
        </message>
        <message>
            <source>LoRA files (*.safetensors *.pt *.pth *.ckpt *.bin);;All files (*)</source>
            <translation>LoRA ファイル (*.safetensors *.pt *.pth *.ckpt *.bin);;すべてのファイル (*)</translation>
        </message>
    </context>
</TS>
