<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
    <context>
        <name>sfs::core::ProjectCommand</name>
        <message>
            <source>Add Keyframe</source>
            <translation>Keyframe hinzufügen</translation>
        </message>
        <message>
            <source>Delete Keyframe</source>
            <translation>Keyframe löschen</translation>
        </message>
        <message>
            <source>Move Keyframe</source>
            <translation>Keyframe verschieben</translation>
        </message>
        <message>
            <source>Change Keyframe Strength</source>
            <translation>Keyframe-Stärke ändern</translation>
        </message>
        <message>
            <source>Change Keyframe Image</source>
            <translation>Keyframe-Bild ändern</translation>
        </message>
        <message>
            <source>Change Keyframe Fit</source>
            <translation>Keyframe-Einpassung ändern</translation>
        </message>
        <message>
            <source>Change Keyframe Label</source>
            <translation>Keyframe-Beschriftung ändern</translation>
        </message>
        <message>
            <source>Add Prompt Segment</source>
            <translation>Prompt-Abschnitt hinzufügen</translation>
        </message>
        <message>
            <source>Split Prompt Segment</source>
            <translation>Prompt-Abschnitt teilen</translation>
        </message>
        <message>
            <source>Merge Prompt Segments</source>
            <translation>Prompt-Abschnitte zusammenführen</translation>
        </message>
        <message>
            <source>Delete Prompt Segment</source>
            <translation>Prompt-Abschnitt löschen</translation>
        </message>
        <message>
            <source>Edit Prompt</source>
            <translation>Prompt bearbeiten</translation>
        </message>
        <message>
            <source>Move Prompt Boundary</source>
            <translation>Prompt-Grenze verschieben</translation>
        </message>
        <message>
            <source>Change Render Settings</source>
            <translation>Render-Einstellungen ändern</translation>
        </message>
        <message>
            <source>Change Duration</source>
            <translation>Dauer ändern</translation>
        </message>
        <message>
            <source>Add Take</source>
            <translation>Take hinzufügen</translation>
        </message>
        <message>
            <source>Delete Take</source>
            <translation>Take löschen</translation>
        </message>
        <message>
            <source>Add Marker</source>
            <translation>Marker hinzufügen</translation>
        </message>
        <message>
            <source>Delete Marker</source>
            <translation>Marker löschen</translation>
        </message>
        <message>
            <source>Move Marker</source>
            <translation>Marker verschieben</translation>
        </message>
        <message>
            <source>Rename Marker</source>
            <translation>Marker umbenennen</translation>
        </message>
        <message>
            <source>Change Keyframe Approach</source>
            <translation>Keyframe-Annäherung ändern</translation>
        </message>
        <message>
            <source>Update Take</source>
            <translation>Take aktualisieren</translation>
        </message>
        <message>
            <source>Change Keyframe VACE</source>
            <translation>Keyframe-VACE ändern</translation>
        </message>
    </context>
    <context>
        <name>sfs::core::ProjectDocument</name>
        <message>
            <source>Untitled</source>
            <translation>Unbenannt</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui</name>
        <message>
            <source>DiT (video model)</source>
            <translation>DiT (Videomodell)</translation>
        </message>
        <message>
            <source>VAE (final decoder)</source>
            <translation>VAE (endgültiger Decoder)</translation>
        </message>
        <message>
            <source>Text encoder</source>
            <translation>Text-Encoder</translation>
        </message>
        <message>
            <source>Tokenizer</source>
            <translation>Tokenizer</translation>
        </message>
        <message>
            <source>TAEHV (preview decoder)</source>
            <translation>TAEHV (Vorschau-Decoder)</translation>
        </message>
        <message>
            <source>%1 cannot be used: %2</source>
            <translation>%1 kann nicht verwendet werden: %2</translation>
        </message>
        <message>
            <source>%1 is also a %2; using %3 (the preferred one)</source>
            <translation>%1 ist ebenfalls ein %2; verwendet wird %3 (die bevorzugte Datei)</translation>
        </message>
        <message>
            <source>%1 is missing: look for %2</source>
            <translation>%1 fehlt: suchen Sie nach %2</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::AboutDialog</name>
        <message>
            <source>About sfstudio</source>
            <translation>Über sfstudio</translation>
        </message>
        <message>
            <source>&lt;h2&gt;sfstudio&lt;/h2&gt;&lt;p&gt;Real-time keyframe storyboarding with Self-Forcing video diffusion.&lt;/p&gt;</source>
            <translation>&lt;h2&gt;sfstudio&lt;/h2&gt;&lt;p&gt;Storyboards mit Keyframes in Echtzeit – mit Self-Forcing-Videodiffusion.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Compute device</source>
            <translation>Rechengerät</translation>
        </message>
        <message>
            <source>detecting…</source>
            <translation>wird ermittelt …</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::ExportDialog</name>
        <message>
            <source>Export Take</source>
            <translation>Take exportieren</translation>
        </message>
        <message>
            <source>%1 — %2, seed %3</source>
            <translation>%1 — %2, Seed %3</translation>
        </message>
        <message>
            <source>Take:</source>
            <translation>Take:</translation>
        </message>
        <message>
            <source>Video (MP4 or MOV)</source>
            <translation>Video (MP4 oder MOV)</translation>
        </message>
        <message>
            <source>PNG sequence, 8-bit</source>
            <translation>PNG-Sequenz, 8 Bit</translation>
        </message>
        <message>
            <source>PNG sequence, 16-bit</source>
            <translation>PNG-Sequenz, 16 Bit</translation>
        </message>
        <message>
            <source>TIFF sequence, 8-bit</source>
            <translation>TIFF-Sequenz, 8 Bit</translation>
        </message>
        <message>
            <source>TIFF sequence, 16-bit</source>
            <translation>TIFF-Sequenz, 16 Bit</translation>
        </message>
        <message>
            <source>OpenEXR sequence, half float, linear</source>
            <translation>OpenEXR-Sequenz, Half Float, linear</translation>
        </message>
        <message>
            <source>JPEG sequence</source>
            <translation>JPEG-Sequenz</translation>
        </message>
        <message>
            <source>Format:</source>
            <translation>Format:</translation>
        </message>
        <message>
            <source>Codec:</source>
            <translation>Codec:</translation>
        </message>
        <message>
            <source>Constant quality: lower is better and larger</source>
            <translation>Konstante Qualität: niedriger ist besser und größer</translation>
        </message>
        <message>
            <source>Slower presets make smaller files of the same quality</source>
            <translation>Langsamere Presets ergeben kleinere Dateien gleicher Qualität</translation>
        </message>
        <message>
            <source>CRF</source>
            <translation>CRF</translation>
        </message>
        <message>
            <source>Preset</source>
            <translation>Preset</translation>
        </message>
        <message>
            <source>Quality:</source>
            <translation>Qualität:</translation>
        </message>
        <message>
            <source>JPEG quality:</source>
            <translation>JPEG-Qualität:</translation>
        </message>
        <message>
            <source>Last frame</source>
            <translation>Letztes Bild</translation>
        </message>
        <message>
            <source>to</source>
            <translation>bis</translation>
        </message>
        <message>
            <source>Frames:</source>
            <translation>Bilder:</translation>
        </message>
        <message>
            <source>Original size</source>
            <translation>Originalgröße</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>Auto</translation>
        </message>
        <message>
            <source>Auto keeps the aspect ratio</source>
            <translation>Auto behält das Seitenverhältnis bei</translation>
        </message>
        <message>
            <source>Size:</source>
            <translation>Größe:</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>Durchsuchen …</translation>
        </message>
        <message>
            <source>Save to:</source>
            <translation>Speichern unter:</translation>
        </message>
        <message>
            <source>When cancelled, keep the frames already written</source>
            <translation>Beim Abbrechen die bereits geschriebenen Bilder behalten</translation>
        </message>
        <message>
            <source>Embed the project, so the export reopens as a project</source>
            <translation>Projekt einbetten, damit sich der Export wieder als Projekt öffnen lässt</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>Exportieren</translation>
        </message>
        <message numerus="yes">
            <source>%n frame(s) at %1×%2, 16 fps</source>
            <translation>
                <numerusform>%n Bild mit %1×%2, 16 fps</numerusform>
                <numerusform>%n Bilder mit %1×%2, 16 fps</numerusform>
            </translation>
        </message>
        <message>
            <source>Export Video</source>
            <translation>Video exportieren</translation>
        </message>
        <message>
            <source>Videos (*.mp4 *.mov *.m4v)</source>
            <translation>Videos (*.mp4 *.mov *.m4v)</translation>
        </message>
        <message>
            <source>Export Image Sequence To</source>
            <translation>Bildsequenz exportieren nach</translation>
        </message>
        <message>
            <source>“%1” already exists. Replace it?</source>
            <translation>„%1“ existiert bereits. Ersetzen?</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::InspectorPanel</name>
        <message>
            <source>The seed must be a whole number from 0 to %1.</source>
            <translation>Der Seed muss eine ganze Zahl von 0 bis %1 sein.</translation>
        </message>
        <message>
            <source>Steps are whole numbers separated by commas, e.g. 1000, 750, 500, 250.</source>
            <translation>Schritte sind durch Kommas getrennte ganze Zahlen, z. B. 1000, 750, 500, 250.</translation>
        </message>
        <message>
            <source>&amp;Size:</source>
            <translation>&amp;Größe:</translation>
        </message>
        <message>
            <source>Width</source>
            <translation>Breite</translation>
        </message>
        <message>
            <source>Video width in pixels (a multiple of 16)</source>
            <translation>Videobreite in Pixeln (ein Vielfaches von 16)</translation>
        </message>
        <message>
            <source>Height</source>
            <translation>Höhe</translation>
        </message>
        <message>
            <source>Video height in pixels (a multiple of 16)</source>
            <translation>Videohöhe in Pixeln (ein Vielfaches von 16)</translation>
        </message>
        <message>
            <source> px</source>
            <translation> px</translation>
        </message>
        <message>
            <source>&amp;Duration:</source>
            <translation>&amp;Dauer:</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>Dauer</translation>
        </message>
        <message>
            <source>Timeline length in frames: whole chunks of 12 frames, less 3 for the first (9, 21, … 81 = 5 s)</source>
            <translation>Länge der Zeitleiste in Frames: ganze Chunks zu 12 Frames, beim ersten 3 weniger (9, 21, … 81 = 5 s)</translation>
        </message>
        <message>
            <source> frames</source>
            <translation> Frames</translation>
        </message>
        <message>
            <source>S&amp;eed:</source>
            <translation>S&amp;eed:</translation>
        </message>
        <message>
            <source>Seed</source>
            <translation>Seed</translation>
        </message>
        <message>
            <source>The noise seed: the same seed and settings give the same take</source>
            <translation>Der Rausch-Seed: gleicher Seed und gleiche Einstellungen ergeben denselben Take</translation>
        </message>
        <message>
            <source>Random seed</source>
            <translation>Zufälliger Seed</translation>
        </message>
        <message>
            <source>Roll a new random seed</source>
            <translation>Einen neuen zufälligen Seed würfeln</translation>
        </message>
        <message>
            <source>S&amp;teps:</source>
            <translation>Sc&amp;hritte:</translation>
        </message>
        <message>
            <source>Denoising steps</source>
            <translation>Entrauschungsschritte</translation>
        </message>
        <message>
            <source>The denoising timesteps, strictly decreasing, e.g. 1000, 750, 500, 250</source>
            <translation>Die Zeitschritte der Entrauschung, streng fallend, z. B. 1000, 750, 500, 250</translation>
        </message>
        <message>
            <source>Dec&amp;oder:</source>
            <translation>Dec&amp;oder:</translation>
        </message>
        <message>
            <source>Decoder</source>
            <translation>Decoder</translation>
        </message>
        <message>
            <source>The decoder of the final frames: wan-vae (full quality) or taehv (fast)</source>
            <translation>Der Decoder der endgültigen Frames: wan-vae (volle Qualität) oder taehv (schnell)</translation>
        </message>
        <message>
            <source>Wan VAE (full quality)</source>
            <translation>Wan VAE (volle Qualität)</translation>
        </message>
        <message>
            <source>TAEHV (fast)</source>
            <translation>TAEHV (schnell)</translation>
        </message>
        <message>
            <source>&amp;Window / sink:</source>
            <translation>&amp;Fenster / Sink:</translation>
        </message>
        <message>
            <source>Attention window</source>
            <translation>Attention-Fenster</translation>
        </message>
        <message>
            <source>Latent frames of context the model attends to; 0 = the whole take so far</source>
            <translation>Latente Frames Kontext, die das Modell beachtet; 0 = der ganze bisherige Take</translation>
        </message>
        <message>
            <source>Full context</source>
            <translation>Voller Kontext</translation>
        </message>
        <message>
            <source>Sink frames</source>
            <translation>Sink-Frames</translation>
        </message>
        <message>
            <source>Latent frames at the start kept in view when the window rolls on</source>
            <translation>Latente Frames am Anfang, die beim Weiterrollen des Fensters sichtbar bleiben</translation>
        </message>
        <message>
            <source> sink</source>
            <translation> Sink</translation>
        </message>
        <message>
            <source>De&amp;vice:</source>
            <translation>Ge&amp;rät:</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>Gerät</translation>
        </message>
        <message>
            <source>Where the model runs: auto, cpu, cuda or cuda:N</source>
            <translation>Wo das Modell läuft: auto, cpu, cuda oder cuda:N</translation>
        </message>
        <message>
            <source>&amp;Model:</source>
            <translation>&amp;Modell:</translation>
        </message>
        <message>
            <source>Model folder</source>
            <translation>Modellordner</translation>
        </message>
        <message>
            <source>The folder of model files the project uses</source>
            <translation>Der Ordner mit den Modelldateien des Projekts</translation>
        </message>
        <message>
            <source>Built-in demo model (untrained)</source>
            <translation>Eingebautes Demomodell (untrainiert)</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>Auswählen…</translation>
        </message>
        <message>
            <source>Choose model folder</source>
            <translation>Modellordner auswählen</translation>
        </message>
        <message>
            <source>Pick a folder of model files</source>
            <translation>Einen Ordner mit Modelldateien wählen</translation>
        </message>
        <message>
            <source>Demo</source>
            <translation>Demo</translation>
        </message>
        <message>
            <source>Use the demo model</source>
            <translation>Das Demomodell verwenden</translation>
        </message>
        <message>
            <source>Use the built-in demo model (untrained: it makes structured noise)</source>
            <translation>Das eingebaute Demomodell verwenden (untrainiert: es erzeugt strukturiertes Rauschen)</translation>
        </message>
        <message>
            <source>Keyframe image</source>
            <translation>Keyframe-Bild</translation>
        </message>
        <message>
            <source>The keyframe's image</source>
            <translation>Das Bild des Keyframes</translation>
        </message>
        <message>
            <source>File:</source>
            <translation>Datei:</translation>
        </message>
        <message>
            <source>Frame:</source>
            <translation>Frame:</translation>
        </message>
        <message>
            <source>St&amp;rength:</source>
            <translation>St&amp;ärke:</translation>
        </message>
        <message>
            <source>Strength</source>
            <translation>Stärke</translation>
        </message>
        <message>
            <source>How far the landing frame blends toward the image (1: exactly the image)</source>
            <translation>Wie weit der Ziel-Frame zum Bild hin überblendet (1: genau das Bild)</translation>
        </message>
        <message>
            <source>&amp;Fit:</source>
            <translation>&amp;Einpassen:</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>Einpassen</translation>
        </message>
        <message>
            <source>How the image meets the video size: cover (crop), fit (bars) or stretch</source>
            <translation>Wie das Bild an die Videogröße angepasst wird: füllen (beschneiden), einpassen (Balken) oder strecken</translation>
        </message>
        <message>
            <source>Cover (crop)</source>
            <translation>Füllen (beschneiden)</translation>
        </message>
        <message>
            <source>Fit (bars)</source>
            <translation>Einpassen (Balken)</translation>
        </message>
        <message>
            <source>Stretch</source>
            <translation>Strecken</translation>
        </message>
        <message>
            <source>&amp;Approach:</source>
            <translation>&amp;Annäherung:</translation>
        </message>
        <message>
            <source>Approach chunks</source>
            <translation>Annäherungs-Chunks</translation>
        </message>
        <message>
            <source>Chunks before the landing that are pulled toward the image; 0: none</source>
            <translation>Chunks vor dem Ziel, die zum Bild hingezogen werden; 0: keine</translation>
        </message>
        <message>
            <source> chunks</source>
            <translation> Chunks</translation>
        </message>
        <message>
            <source>Approach &amp;weight:</source>
            <translation>Annäherungs&amp;gewicht:</translation>
        </message>
        <message>
            <source>Approach weight</source>
            <translation>Annäherungsgewicht</translation>
        </message>
        <message>
            <source>The largest pull toward the image during the approach (0…1)</source>
            <translation>Der stärkste Zug zum Bild während der Annäherung (0…1)</translation>
        </message>
        <message>
            <source>Approach ste&amp;ps:</source>
            <translation>Annäherungs&amp;schritte:</translation>
        </message>
        <message>
            <source>Approach steps</source>
            <translation>Annäherungsschritte</translation>
        </message>
        <message>
            <source>The early denoising steps in which the approach pulls</source>
            <translation>Die frühen Entrauschungsschritte, in denen die Annäherung zieht</translation>
        </message>
        <message>
            <source>&amp;Label:</source>
            <translation>&amp;Beschriftung:</translation>
        </message>
        <message>
            <source>Label</source>
            <translation>Beschriftung</translation>
        </message>
        <message>
            <source>A name for the keyframe, shown on the timeline</source>
            <translation>Ein Name für den Keyframe, auf der Zeitleiste angezeigt</translation>
        </message>
        <message>
            <source>Prompt text</source>
            <translation>Prompt-Text</translation>
        </message>
        <message>
            <source>What the video shows from this segment's first frame on</source>
            <translation>Was das Video ab dem ersten Frame dieses Segments zeigt</translation>
        </message>
        <message>
            <source>Token count</source>
            <translation>Token-Anzahl</translation>
        </message>
        <message>
            <source>Prompt tokens against the text encoder's limit; words beyond it are ignored</source>
            <translation>Prompt-Tokens gemessen am Limit des Text-Encoders; Wörter darüber hinaus werden ignoriert</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Name:</translation>
        </message>
        <message>
            <source>Marker name</source>
            <translation>Markername</translation>
        </message>
        <message>
            <source>The marker's name, shown on the timeline</source>
            <translation>Der Name des Markers, auf der Zeitleiste angezeigt</translation>
        </message>
        <message>
            <source>&amp;Frame:</source>
            <translation>&amp;Frame:</translation>
        </message>
        <message>
            <source>Marker frame</source>
            <translation>Marker-Frame</translation>
        </message>
        <message>
            <source>The frame the marker sits on</source>
            <translation>Der Frame, auf dem der Marker sitzt</translation>
        </message>
        <message>
            <source>Take details</source>
            <translation>Take-Details</translation>
        </message>
        <message>
            <source>How this take was generated</source>
            <translation>Wie dieser Take generiert wurde</translation>
        </message>
        <message>
            <source>Render Settings</source>
            <translation>Render-Einstellungen</translation>
        </message>
        <message>
            <source>Keyframe</source>
            <translation>Keyframe</translation>
        </message>
        <message>
            <source>Prompt Segment</source>
            <translation>Prompt-Segment</translation>
        </message>
        <message>
            <source>Marker</source>
            <translation>Marker</translation>
        </message>
        <message>
            <source>Take</source>
            <translation>Take</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 (%2 s)</source>
            <translation>%1 (%2 s)</translation>
        </message>
        <message>
            <source>Frames %1–%2 (%3–%4 s)</source>
            <translation>Frames %1–%2 (%3–%4 s)</translation>
        </message>
        <message>
            <source>Take %1, made %2</source>
            <translation>Take %1, erstellt %2</translation>
        </message>
        <message>
            <source>complete: %1 of %2 chunks</source>
            <translation>vollständig: %1 von %2 Chunks</translation>
        </message>
        <message>
            <source>stopped after %1 of %2 chunks</source>
            <translation>angehalten nach %1 von %2 Chunks</translation>
        </message>
        <message>
            <source>generating: %1 of %2 chunks done</source>
            <translation>wird generiert: %1 von %2 Chunks fertig</translation>
        </message>
        <message>
            <source>Status: %1</source>
            <translation>Status: %1</translation>
        </message>
        <message>
            <source>Frames: %1 of %2 (%3 s)</source>
            <translation>Frames: %1 von %2 (%3 s)</translation>
        </message>
        <message>
            <source>Size: %1 × %2</source>
            <translation>Größe: %1 × %2</translation>
        </message>
        <message>
            <source>Seed: %1</source>
            <translation>Seed: %1</translation>
        </message>
        <message>
            <source>Steps: %1</source>
            <translation>Schritte: %1</translation>
        </message>
        <message>
            <source>Decoder: %1</source>
            <translation>Decoder: %1</translation>
        </message>
        <message>
            <source>Attention: full context</source>
            <translation>Attention: voller Kontext</translation>
        </message>
        <message>
            <source>Attention: window of %1 latent frames, %2 sink</source>
            <translation>Attention: Fenster von %1 latenten Frames, %2 Sink</translation>
        </message>
        <message>
            <source>Device: %1</source>
            <translation>Gerät: %1</translation>
        </message>
        <message>
            <source>Model: %1</source>
            <translation>Modell: %1</translation>
        </message>
        <message>
            <source>built-in demo model (untrained)</source>
            <translation>eingebautes Demomodell (untrainiert)</translation>
        </message>
        <message>
            <source>Regenerated from chunk %1 of take %2</source>
            <translation>Neu generiert ab Chunk %1 von Take %2</translation>
        </message>
        <message>
            <source>Generated from the start</source>
            <translation>Von Anfang an generiert</translation>
        </message>
        <message>
            <source>Regenerated as: %1</source>
            <translation>Neu generiert als: %1</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Wird geladen…</translation>
        </message>
        <message>
            <source>Loading keyframe image</source>
            <translation>Keyframe-Bild wird geladen</translation>
        </message>
        <message>
            <source>The image cannot be shown: %1</source>
            <translation>Das Bild kann nicht angezeigt werden: %1</translation>
        </message>
        <message>
            <source>%1 / %2 tokens</source>
            <translation>%1 / %2 Tokens</translation>
        </message>
        <message>
            <source>≈ %1 / %2 tokens (estimate: no tokenizer)</source>
            <translation>≈ %1 / %2 Tokens (Schätzung: kein Tokenizer)</translation>
        </message>
        <message>
            <source>— over the limit: the words past it are ignored</source>
            <translation>— über dem Limit: die Wörter danach werden ignoriert</translation>
        </message>
        <message>
            <source>Counted with the model's tokenizer</source>
            <translation>Mit dem Tokenizer des Modells gezählt</translation>
        </message>
        <message>
            <source>Estimated from the text's length: %1</source>
            <translation>Aus der Textlänge geschätzt: %1</translation>
        </message>
        <message>
            <source>&amp;Preview:</source>
            <translation>&amp;Vorschau:</translation>
        </message>
        <message>
            <source>Preview decoder</source>
            <translation>Vorschau-Decoder</translation>
        </message>
        <message>
            <source>What the live preview shows while a take generates: the final decoder's frames, or TAEHV's fast ones while the final decoder makes the take</source>
            <translation>Was die Live-Vorschau zeigt, während ein Take entsteht: die Bilder des endgültigen Decoders oder die schnellen von TAEHV, während der endgültige Decoder den Take erzeugt</translation>
        </message>
        <message>
            <source>The final decoder's frames</source>
            <translation>Bilder des endgültigen Decoders</translation>
        </message>
        <message>
            <source>TAEHV (fast preview)</source>
            <translation>TAEHV (schnelle Vorschau)</translation>
        </message>
        <message>
            <source>P&amp;recision:</source>
            <translation>&amp;Genauigkeit:</translation>
        </message>
        <message>
            <source>Precision</source>
            <translation>Genauigkeit</translation>
        </message>
        <message>
            <source>The number format of the models' weights and caches: lower precision halves the memory; float16 runs on a GPU only</source>
            <translation>Das Zahlenformat der Gewichte und Caches der Modelle: geringere Genauigkeit halbiert den Speicher; float16 läuft nur auf einer GPU</translation>
        </message>
        <message>
            <source>Auto (bfloat16 on a GPU, float32 on the CPU)</source>
            <translation>Automatisch (bfloat16 auf einer GPU, float32 auf der CPU)</translation>
        </message>
        <message>
            <source>float16 (GPU only)</source>
            <translation>float16 (nur GPU)</translation>
        </message>
        <message>
            <source>Te&amp;xt encoder:</source>
            <translation>Te&amp;xt-Encoder:</translation>
        </message>
        <message>
            <source>Text encoder device</source>
            <translation>Gerät des Text-Encoders</translation>
        </message>
        <message>
            <source>Where the text encoder runs when a prompt is encoded: on the CPU, or on the GPU (freed after encoding)</source>
            <translation>Wo der Text-Encoder läuft, wenn ein Prompt kodiert wird: auf der CPU oder auf der GPU (nach dem Kodieren freigegeben)</translation>
        </message>
        <message>
            <source>Auto (the GPU when it has 24 GiB or more)</source>
            <translation>Automatisch (die GPU, wenn sie 24 GiB oder mehr hat)</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>GPU (freed after encoding)</source>
            <translation>GPU (nach dem Kodieren freigegeben)</translation>
        </message>
        <message>
            <source>LoRA:</source>
            <translation>LoRA:</translation>
        </message>
        <message>
            <source>VA&amp;CE:</source>
            <translation>VA&amp;CE:</translation>
        </message>
        <message>
            <source>Steer by VACE</source>
            <translation>Mit VACE lenken</translation>
        </message>
        <message>
            <source>VACE</source>
            <translation>VACE</translation>
        </message>
        <message>
            <source>Also steer toward the image with VACE: a context in the landing chunk, a reference in the approach (needs VACE weights)</source>
            <translation>Zusätzlich mit VACE zum Bild lenken: ein Kontext im Landungs-Chunk, eine Referenz in der Annäherung (braucht VACE-Gewichte)</translation>
        </message>
        <message>
            <source>VACE &amp;scale:</source>
            <translation>VACE-Fa&amp;ktor:</translation>
        </message>
        <message>
            <source>VACE scale</source>
            <translation>VACE-Faktor</translation>
        </message>
        <message>
            <source>How strongly the VACE context acts (0…%1)</source>
            <translation>Wie stark der VACE-Kontext wirkt (0…%1)</translation>
        </message>
        <message>
            <source>The number format of the models' weights and caches: lower precision halves the memory; float16 runs on a GPU only. Auto: bfloat16 on a GPU, float32 on the CPU</source>
            <translation>Das Zahlenformat der Gewichte und Caches der Modelle: geringere Genauigkeit halbiert den Speicher; float16 läuft nur auf einer GPU. Automatisch: bfloat16 auf einer GPU, float32 auf der CPU</translation>
        </message>
        <message>
            <source>Auto</source>
            <translation>Automatisch</translation>
        </message>
        <message>
            <source>Where the text encoder runs when a prompt is encoded: on the CPU, or on the GPU (freed after encoding). Auto: the GPU when it has 24 GiB or more</source>
            <translation>Wo der Text-Encoder läuft, wenn ein Prompt kodiert wird: auf der CPU oder auf der GPU (nach dem Kodieren freigegeben). Automatisch: die GPU, wenn sie 24 GiB oder mehr hat</translation>
        </message>
        <message>
            <source>Re&amp;ference:</source>
            <translation>Re&amp;ferenz:</translation>
        </message>
        <message>
            <source>An image every chunk is steered toward by VACE: its style or its subject's identity (needs VACE weights; the demo model has them)</source>
            <translation>Ein Bild, zu dem VACE jeden Chunk hinlenkt: zu seinem Stil oder der Identität seines Motivs (braucht VACE-Gewichte; das Demomodell hat sie)</translation>
        </message>
        <message>
            <source>Reference image</source>
            <translation>Referenzbild</translation>
        </message>
        <message>
            <source>Reference image file</source>
            <translation>Datei des Referenzbilds</translation>
        </message>
        <message>
            <source>Choose reference image</source>
            <translation>Referenzbild auswählen</translation>
        </message>
        <message>
            <source>Pick an image file; it is copied into the project's assets</source>
            <translation>Eine Bilddatei auswählen; sie wird in die Assets des Projekts kopiert</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Clear reference image</source>
            <translation>Referenzbild entfernen</translation>
        </message>
        <message>
            <source>Generate without a reference image</source>
            <translation>Ohne Referenzbild generieren</translation>
        </message>
        <message>
            <source>This model has no VACE weights, so a take with a reference image cannot be generated: add Wan2.1-VACE-1.3B's weights to the model folder, use the demo model, or clear the image.</source>
            <translation>Dieses Modell hat keine VACE-Gewichte, daher kann ein Take mit Referenzbild nicht generiert werden: Legen Sie die Gewichte von Wan2.1-VACE-1.3B in den Modellordner, verwenden Sie das Demomodell oder entfernen Sie das Bild.</translation>
        </message>
        <message>
            <source>Reference stren&amp;gth:</source>
            <translation>Referenzstär&amp;ke:</translation>
        </message>
        <message>
            <source>Reference strength</source>
            <translation>Referenzstärke</translation>
        </message>
        <message>
            <source>How strongly the reference image steers every chunk (the VACE context scale, 0…%1)</source>
            <translation>Wie stark das Referenzbild jeden Chunk lenkt (der VACE-Kontextfaktor, 0…%1)</translation>
        </message>
        <message>
            <source>Importing %1…</source>
            <translation>%1 wird importiert…</translation>
        </message>
        <message>
            <source>None</source>
            <translation>Keines</translation>
        </message>
        <message>
            <source>Looking for VACE weights</source>
            <translation>VACE-Gewichte werden gesucht</translation>
        </message>
        <message>
            <source>Choose Reference Image</source>
            <translation>Referenzbild auswählen</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Bilder</translation>
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
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>&amp;Zuletzt geöffnet</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>&amp;Bearbeiten</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>&amp;Generate</source>
            <translation>&amp;Generieren</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>&amp;New Project</source>
            <translation>&amp;Neues Projekt</translation>
        </message>
        <message>
            <source>Start a new storyboard</source>
            <translation>Ein neues Storyboard beginnen</translation>
        </message>
        <message>
            <source>&amp;Open…</source>
            <translation>Ö&amp;ffnen …</translation>
        </message>
        <message>
            <source>Open a project or an exported clip</source>
            <translation>Ein Projekt oder einen exportierten Clip öffnen</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>&amp;Speichern</translation>
        </message>
        <message>
            <source>Save &amp;As…</source>
            <translation>Speichern &amp;unter …</translation>
        </message>
        <message>
            <source>&amp;Export…</source>
            <translation>&amp;Exportieren …</translation>
        </message>
        <message>
            <source>Export a take as MP4 or an image sequence</source>
            <translation>Einen Take als MP4 oder Bildsequenz exportieren</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Rückgängig</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Wiederholen</translation>
        </message>
        <message>
            <source>&amp;Stop</source>
            <translation>&amp;Stopp</translation>
        </message>
        <message>
            <source>Stop the running generation after the current step</source>
            <translation>Die laufende Generierung nach dem aktuellen Schritt anhalten</translation>
        </message>
        <message>
            <source>&amp;About sfstudio</source>
            <translation>Ü&amp;ber sfstudio</translation>
        </message>
        <message>
            <source>About &amp;Qt</source>
            <translation>Über &amp;Qt</translation>
        </message>
        <message>
            <source>&amp;Clear Menu</source>
            <translation>Menü &amp;leeren</translation>
        </message>
        <message>
            <source>Timeline</source>
            <translation>Zeitleiste</translation>
        </message>
        <message>
            <source>Inspector</source>
            <translation>Inspektor</translation>
        </message>
        <message>
            <source>%1[*] — sfstudio</source>
            <extracomment>Window title: the project's name, the modified marker, the application.</extracomment>
            <translation>%1[*] — sfstudio</translation>
        </message>
        <message>
            <source>sfstudio projects (*.%1)</source>
            <translation>sfstudio-Projekte (*.%1)</translation>
        </message>
        <message>
            <source>The project “%1” has unsaved changes.</source>
            <translation>Das Projekt „%1“ hat ungespeicherte Änderungen.</translation>
        </message>
        <message>
            <source>Do you want to save them?</source>
            <translation>Möchten Sie sie speichern?</translation>
        </message>
        <message>
            <source>New project</source>
            <translation>Neues Projekt</translation>
        </message>
        <message>
            <source>Open Project</source>
            <translation>Projekt öffnen</translation>
        </message>
        <message>
            <source>Opening “%1”…</source>
            <translation>„%1“ wird geöffnet …</translation>
        </message>
        <message>
            <source>The project “%1” could not be opened.</source>
            <translation>Das Projekt „%1“ konnte nicht geöffnet werden.</translation>
        </message>
        <message>
            <source>Opened “%1”</source>
            <translation>„%1“ geöffnet</translation>
        </message>
        <message>
            <source>The project could not be saved.</source>
            <translation>Das Projekt konnte nicht gespeichert werden.</translation>
        </message>
        <message>
            <source>Saved “%1”</source>
            <translation>„%1“ gespeichert</translation>
        </message>
        <message>
            <source>Save Project As</source>
            <translation>Projekt speichern unter</translation>
        </message>
        <message>
            <source>Saving “%1”…</source>
            <translation>„%1“ wird gespeichert …</translation>
        </message>
        <message>
            <source>Recovered “%1”: save it to keep the changes</source>
            <translation>„%1“ wiederhergestellt: speichern Sie es, um die Änderungen zu behalten</translation>
        </message>
        <message>
            <source>The unsaved changes could not be recovered.</source>
            <translation>Die ungespeicherten Änderungen konnten nicht wiederhergestellt werden.</translation>
        </message>
        <message>
            <source>Projects and exported clips (*.%1 *.mp4 *.mov *.m4v *.json)</source>
            <translation>Projekte und exportierte Clips (*.%1 *.mp4 *.mov *.m4v *.json)</translation>
        </message>
        <message>
            <source>Exported clips and sequence sidecars (*.mp4 *.mov *.m4v *.json)</source>
            <translation>Exportierte Clips und Sequenz-Begleitdateien (*.mp4 *.mov *.m4v *.json)</translation>
        </message>
        <message>
            <source>“%1” could not be opened as a project.</source>
            <translation>„%1“ konnte nicht als Projekt geöffnet werden.</translation>
        </message>
        <message>
            <source>Opened the project of “%1” (take %2): save it to keep it</source>
            <translation>Projekt von „%1“ geöffnet (Take %2): speichern Sie es, um es zu behalten</translation>
        </message>
        <message>
            <source>Some keyframes of “%1” could not be recovered.</source>
            <translation>Einige Keyframes von „%1“ konnten nicht wiederhergestellt werden.</translation>
        </message>
        <message>
            <source>This build of sfstudio has no video support (FFmpeg).</source>
            <translation>Diese sfstudio-Version unterstützt kein Video (FFmpeg).</translation>
        </message>
        <message>
            <source>Export Take</source>
            <translation>Take exportieren</translation>
        </message>
        <message>
            <source>The export failed.</source>
            <translation>Der Export ist fehlgeschlagen.</translation>
        </message>
        <message>
            <source>An export is running: cancel it or let it finish first</source>
            <translation>Ein Export läuft: brechen Sie ihn ab oder warten Sie, bis er fertig ist</translation>
        </message>
        <message>
            <source>Recovering “%1”…</source>
            <translation>„%1“ wird wiederhergestellt …</translation>
        </message>
        <message>
            <source>Exporting to “%1”…</source>
            <translation>Export nach „%1“ …</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Wird angehalten …</translation>
        </message>
        <message>
            <source>The export to “%1” failed.</source>
            <translation>Der Export nach „%1“ ist fehlgeschlagen.</translation>
        </message>
        <message numerus="yes">
            <source>Export stopped: “%1” holds the first %n frame(s)</source>
            <translation>
                <numerusform>Export angehalten: „%1“ enthält das erste Bild</numerusform>
                <numerusform>Export angehalten: „%1“ enthält die ersten %n Bilder</numerusform>
            </translation>
        </message>
        <message>
            <source>Export cancelled: nothing was written</source>
            <translation>Export abgebrochen: nichts wurde geschrieben</translation>
        </message>
        <message numerus="yes">
            <source>Exported take %1 to “%2” (%n frame(s))</source>
            <translation>
                <numerusform>Take %1 nach „%2“ exportiert (%n Bild)</numerusform>
                <numerusform>Take %1 nach „%2“ exportiert (%n Bilder)</numerusform>
            </translation>
        </message>
        <message>
            <source>Model: built-in demo (untrained)</source>
            <translation>Modell: eingebautes Demo (untrainiert)</translation>
        </message>
        <message>
            <source>The built-in demo model has seeded random weights: it generates noise, not video. Choose a model folder in the render settings for real results.</source>
            <translation>Das eingebaute Demo-Modell hat zufällige Gewichte: Es erzeugt Rauschen, kein Video. Wählen Sie in den Render-Einstellungen einen Modellordner für echte Ergebnisse.</translation>
        </message>
        <message>
            <source>Model: %1</source>
            <translation>Modell: %1</translation>
        </message>
        <message>
            <source>Exporting take %1 to “%2” as it is generated…</source>
            <translation>Take %1 wird während der Generierung nach „%2“ exportiert …</translation>
        </message>
        <message>
            <source>Generate a new take of the timeline</source>
            <translation>Einen neuen Take der Zeitleiste generieren</translation>
        </message>
        <message>
            <source>&amp;Continue</source>
            <translation>&amp;Fortsetzen</translation>
        </message>
        <message>
            <source>Continue a stopped take from its last whole chunk (as a new take)</source>
            <translation>Einen angehaltenen Take ab seinem letzten vollständigen Chunk fortsetzen (als neuer Take)</translation>
        </message>
        <message>
            <source>&amp;Regenerate from Playhead</source>
            <translation>Ab Abspielposition &amp;neu generieren</translation>
        </message>
        <message>
            <source>Keep the shown take up to the chunk under the playhead and generate the rest anew (as a new take)</source>
            <translation>Den angezeigten Take bis zum Chunk unter der Abspielposition behalten und den Rest neu generieren (als neuer Take)</translation>
        </message>
        <message>
            <source>Ready</source>
            <translation>Bereit</translation>
        </message>
        <message>
            <source>Loading the model…</source>
            <translation>Modell wird geladen …</translation>
        </message>
        <message>
            <source>Continuing</source>
            <translation>Wird fortgesetzt</translation>
        </message>
        <message>
            <source>Regenerating</source>
            <translation>Wird neu generiert</translation>
        </message>
        <message>
            <source>Generating</source>
            <translation>Wird generiert</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>Angehalten</translation>
        </message>
        <message>
            <source>Finished</source>
            <translation>Fertig</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <source>The generation failed: %1</source>
            <translation>Die Generierung ist fehlgeschlagen: %1</translation>
        </message>
        <message numerus="yes">
            <source>Take %1 keeps its %n whole chunk(s).</source>
            <translation>
                <numerusform>Take %1 behält seinen %n vollständigen Chunk.</numerusform>
                <numerusform>Take %1 behält seine %n vollständigen Chunks.</numerusform>
            </translation>
        </message>
        <message>
            <source>Stopped before the take started</source>
            <translation>Angehalten, bevor der Take begann</translation>
        </message>
        <message numerus="yes">
            <source>Stopped: take %1 keeps %n whole chunk(s)</source>
            <translation>
                <numerusform>Angehalten: Take %1 behält %n vollständigen Chunk</numerusform>
                <numerusform>Angehalten: Take %1 behält %n vollständige Chunks</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Take %1 is complete: %n frame(s) in %2</source>
            <translation>
                <numerusform>Take %1 ist fertig: %n Frame in %2</numerusform>
                <numerusform>Take %1 ist fertig: %n Frames in %2</numerusform>
            </translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>Dismiss</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <source> · chunk %1/%2 · %3 fps · %4:%5 left</source>
            <extracomment>Status bar while generating: chunks done of all, frames per second, time left.</extracomment>
            <translation> · Chunk %1/%2 · %3 fps · noch %4:%5</translation>
        </message>
        <message>
            <source>This project uses the built-in demo model. It is untrained: it makes noise-like video, not real scenes, so that every part of the studio can be tried without a download.</source>
            <translation>Dieses Projekt verwendet das eingebaute Demomodell. Es ist untrainiert: Es erzeugt rauschartiges Video statt echter Szenen, damit sich jeder Teil des Studios ohne Download ausprobieren lässt.</translation>
        </message>
        <message>
            <source>To generate real video, put the Self-Forcing model files (the DiT, the Wan VAE, the umT5 text encoder and its tokenizer) in one folder, check it with

    sfstudio-cli models inspect FOLDER

and choose that folder as the model folder in the render settings (the Inspector with nothing selected). The README's "Model files" section lists the files.</source>
            <translation>Um echtes Video zu generieren, legen Sie die Self-Forcing-Modelldateien (den DiT, das Wan-VAE, den umT5-Text-Encoder und seinen Tokenizer) in einen Ordner, prüfen Sie ihn mit

    sfstudio-cli models inspect ORDNER

und wählen Sie diesen Ordner in den Render-Einstellungen als Modellordner (im Inspektor, wenn nichts ausgewählt ist). Der Abschnitt „Model files“ der README listet die Dateien auf.</translation>
        </message>
        <message>
            <source>&amp;Playback</source>
            <translation>&amp;Wiedergabe</translation>
        </message>
        <message>
            <source>&amp;Model Setup…</source>
            <translation>&amp;Modell einrichten …</translation>
        </message>
        <message>
            <source>Choose the model files this project generates with</source>
            <translation>Die Modelldateien wählen, mit denen dieses Projekt generiert</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>&amp;Tastenkürzel</translation>
        </message>
        <message>
            <source>List every keyboard shortcut of the studio</source>
            <translation>Alle Tastenkürzel des Studios auflisten</translation>
        </message>
        <message>
            <source>&amp;Close Project</source>
            <translation>Projekt &amp;schließen</translation>
        </message>
        <message>
            <source>Close the project and show the start page</source>
            <translation>Das Projekt schließen und die Startseite zeigen</translation>
        </message>
        <message>
            <source>&amp;User Guide</source>
            <translation>&amp;Benutzerhandbuch</translation>
        </message>
        <message>
            <source>Read how to set up models, storyboard and export</source>
            <translation>Nachlesen, wie man Modelle einrichtet, ein Storyboard anlegt und exportiert</translation>
        </message>
        <message numerus="yes">
            <source>Unsaved changes of %n project(s) can be recovered: File &gt; Close Project shows them.</source>
            <translation>
                <numerusform>Ungesicherte Änderungen an %n Projekt können wiederhergestellt werden: Datei &gt; Projekt schließen zeigt sie.</numerusform>
                <numerusform>Ungesicherte Änderungen an %n Projekten können wiederhergestellt werden: Datei &gt; Projekt schließen zeigt sie.</numerusform>
            </translation>
        </message>
        <message>
            <source>The saved file, to compare with the recovered changes in the other window</source>
            <translation>Die gespeicherte Datei, zum Vergleich mit den wiederhergestellten Änderungen im anderen Fenster</translation>
        </message>
        <message>
            <source>Discarding the changes to “%1”…</source>
            <translation>Die Änderungen an „%1“ werden verworfen …</translation>
        </message>
        <message>
            <source>The sample project was not found.</source>
            <translation>Das Beispielprojekt wurde nicht gefunden.</translation>
        </message>
        <message>
            <source>sfstudio looked for it in:
%1</source>
            <translation>sfstudio hat hier gesucht:
%1</translation>
        </message>
        <message>
            <source>Copying the sample project…</source>
            <translation>Das Beispielprojekt wird kopiert …</translation>
        </message>
        <message>
            <source>The sample project could not be opened.</source>
            <translation>Das Beispielprojekt konnte nicht geöffnet werden.</translation>
        </message>
        <message>
            <source>Recover Unsaved Changes</source>
            <translation>Ungespeicherte Änderungen wiederherstellen</translation>
        </message>
        <message>
            <source>sfstudio did not close properly last time.</source>
            <translation>sfstudio wurde beim letzten Mal nicht ordnungsgemäß beendet.</translation>
        </message>
        <message>
            <source>Unsaved changes to “%1” were saved automatically at %2. Recover them?</source>
            <translation>Ungespeicherte Änderungen an „%1“ wurden um %2 automatisch gesichert. Wiederherstellen?</translation>
        </message>
        <message>
            <source>A recovery file could not be read: %1</source>
            <translation>Eine Wiederherstellungsdatei konnte nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>Recover</source>
            <translation>Wiederherstellen</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>Verwerfen</translation>
        </message>
        <message>
            <source>Not Now</source>
            <translation>Nicht jetzt</translation>
        </message>
        <message>
            <source>Not generated: the take needs about %1 of memory, %2 more than the %3 free. The inspector's render settings show settings that fit.</source>
            <translation>Nicht erzeugt: Der Take braucht etwa %1 Speicher, %2 mehr als die %3 freien. Die Render-Einstellungen im Inspektor zeigen Einstellungen, die passen.</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::ModelSetupDialog</name>
        <message>
            <source>Model Setup</source>
            <translation>Modell einrichten</translation>
        </message>
        <message>
            <source>sfstudio reads the model files you already have. Choose the folder that holds them, or the built-in demo model to try every feature without a download.</source>
            <translation>sfstudio liest die Modelldateien, die Sie bereits haben. Wählen Sie den Ordner, der sie enthält, oder das eingebaute Demomodell, um jede Funktion ohne Download auszuprobieren.</translation>
        </message>
        <message>
            <source>Choose Folder…</source>
            <translation>Ordner wählen …</translation>
        </message>
        <message>
            <source>Use the Built-in Demo Model</source>
            <translation>Eingebautes Demomodell verwenden</translation>
        </message>
        <message>
            <source>Tiny, untrained: it produces noise-like video, not real footage. For trying the studio without a download.</source>
            <translation>Winzig und untrainiert: Es erzeugt rauschartiges Video statt echter Aufnahmen. Zum Ausprobieren des Studios ohne Download.</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>Modell:</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Rolle</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Datei</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Typ</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>Konfiguration</translation>
        </message>
        <message>
            <source>Files to look for</source>
            <translation>Gesuchte Dateien</translation>
        </message>
        <message>
            <source>Problems:</source>
            <translation>Probleme:</translation>
        </message>
        <message>
            <source>Use This Model</source>
            <translation>Dieses Modell verwenden</translation>
        </message>
        <message>
            <source>Built-in demo model (untrained, noise-like video)</source>
            <translation>Eingebautes Demomodell (untrainiert, rauschartiges Video)</translation>
        </message>
        <message>
            <source>Looking for model files…</source>
            <translation>Modelldateien werden gesucht …</translation>
        </message>
        <message>
            <source>Looking for model files</source>
            <translation>Modelldateien werden gesucht</translation>
        </message>
        <message>
            <source>Choose the Model Folder</source>
            <translation>Modellordner wählen</translation>
        </message>
        <message>
            <source>Found</source>
            <translation>Gefunden</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>Problem</translation>
        </message>
        <message>
            <source>Missing</source>
            <translation>Fehlt</translation>
        </message>
        <message>
            <source>Missing (optional)</source>
            <translation>Fehlt (optional)</translation>
        </message>
        <message>
            <source>Look for: %1</source>
            <translation>Suchen nach: %1</translation>
        </message>
        <message>
            <source>This folder cannot be read: %1</source>
            <translation>Dieser Ordner kann nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>The built-in demo model: tiny and untrained, it produces noise-like video. Good for trying every feature; choose a folder with the real model files for real video.</source>
            <translation>Das eingebaute Demomodell: winzig und untrainiert, es erzeugt rauschartiges Video. Gut zum Ausprobieren jeder Funktion; für echtes Video wählen Sie einen Ordner mit den echten Modelldateien.</translation>
        </message>
        <message>
            <source>Every required model was found. Ready to generate.</source>
            <translation>Alle benötigten Modelle wurden gefunden. Bereit zum Generieren.</translation>
        </message>
        <message>
            <source>This folder cannot be used yet: see the problems below.</source>
            <translation>Dieser Ordner kann noch nicht verwendet werden: siehe die Probleme unten.</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PlaybackControls</name>
        <message>
            <source>&amp;Play/Pause</source>
            <translation>&amp;Wiedergabe/Pause</translation>
        </message>
        <message>
            <source>Play the take or pause it</source>
            <translation>Den Take abspielen oder anhalten</translation>
        </message>
        <message>
            <source>Play &amp;Backward</source>
            <translation>&amp;Rückwärts abspielen</translation>
        </message>
        <message>
            <source>Play backward; each press doubles the speed up to 8×</source>
            <translation>Rückwärts abspielen; jedes erneute Drücken verdoppelt die Geschwindigkeit (bis 8×)</translation>
        </message>
        <message>
            <source>P&amp;ause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>Pause playback</source>
            <translation>Wiedergabe anhalten</translation>
        </message>
        <message>
            <source>Play &amp;Forward</source>
            <translation>&amp;Vorwärts abspielen</translation>
        </message>
        <message>
            <source>Play forward; each press doubles the speed up to 8×</source>
            <translation>Vorwärts abspielen; jedes erneute Drücken verdoppelt die Geschwindigkeit (bis 8×)</translation>
        </message>
        <message>
            <source>Previous F&amp;rame</source>
            <translation>Vor&amp;heriger Frame</translation>
        </message>
        <message>
            <source>Step one frame back</source>
            <translation>Einen Frame zurück</translation>
        </message>
        <message>
            <source>&amp;Next Frame</source>
            <translation>&amp;Nächster Frame</translation>
        </message>
        <message>
            <source>Step one frame forward</source>
            <translation>Einen Frame vor</translation>
        </message>
        <message>
            <source>Go to &amp;Start</source>
            <translation>Zum &amp;Anfang</translation>
        </message>
        <message>
            <source>Move the playhead to the first frame</source>
            <translation>Die Abspielposition auf den ersten Frame setzen</translation>
        </message>
        <message>
            <source>Go to &amp;End</source>
            <translation>Zum &amp;Ende</translation>
        </message>
        <message>
            <source>Move the playhead to the last frame</source>
            <translation>Die Abspielposition auf den letzten Frame setzen</translation>
        </message>
        <message>
            <source>Set &amp;In Point</source>
            <translation>&amp;In-Punkt setzen</translation>
        </message>
        <message>
            <source>Playback and export start at the playhead</source>
            <translation>Wiedergabe und Export beginnen an der Abspielposition</translation>
        </message>
        <message>
            <source>Set &amp;Out Point</source>
            <translation>&amp;Out-Punkt setzen</translation>
        </message>
        <message>
            <source>Playback and export end at the playhead</source>
            <translation>Wiedergabe und Export enden an der Abspielposition</translation>
        </message>
        <message>
            <source>&amp;Clear In/Out</source>
            <translation>In/Out &amp;löschen</translation>
        </message>
        <message>
            <source>Play and export the whole timeline</source>
            <translation>Die ganze Zeitleiste abspielen und exportieren</translation>
        </message>
        <message>
            <source>&amp;Loop</source>
            <translation>&amp;Schleife</translation>
        </message>
        <message>
            <source>Play the in/out range over and over</source>
            <translation>Den Bereich zwischen In- und Out-Punkt immer wieder abspielen</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PreviewPanel</name>
        <message>
            <source>&amp;Take:</source>
            <translation>&amp;Take:</translation>
        </message>
        <message>
            <source>&amp;Compare:</source>
            <translation>&amp;Vergleich:</translation>
        </message>
        <message>
            <source>&amp;with:</source>
            <translation>m&amp;it:</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>Aus</translation>
        </message>
        <message>
            <source>Side by side</source>
            <translation>Nebeneinander</translation>
        </message>
        <message>
            <source>A/B</source>
            <translation>A/B</translation>
        </message>
        <message>
            <source>Show the other take (A: the take chosen, B: the one compared)</source>
            <translation>Den anderen Take zeigen (A: der gewählte Take, B: der verglichene)</translation>
        </message>
        <message>
            <source>Take shown</source>
            <translation>Angezeigter Take</translation>
        </message>
        <message>
            <source>Take compared</source>
            <translation>Vergleichs-Take</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>Vorschau</translation>
        </message>
        <message>
            <source>Compared take</source>
            <translation>Vorschau des Vergleichs-Takes</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PreviewWidget</name>
        <message>
            <source>Generating…</source>
            <translation>Wird generiert…</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s · generating at %3 fps</source>
            <extracomment>The preview's overlay while generating: frame, seconds, generation speed.</extracomment>
            <translation>Frame %1 · %2 s · Generierung mit %3 fps</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s</source>
            <extracomment>The preview's overlay: the frame in view and its time.</extracomment>
            <translation>Frame %1 · %2 s</translation>
        </message>
        <message>
            <source>No take yet — press Generate</source>
            <translation>Noch kein Take – klicken Sie auf „Generieren“</translation>
        </message>
        <message>
            <source>No take chosen</source>
            <translation>Kein Take gewählt</translation>
        </message>
        <message>
            <source>This take has no frames yet</source>
            <translation>Dieser Take hat noch keine Frames</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Wird geladen…</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s · the take ends at frame %3</source>
            <extracomment>The preview's overlay past the take's end: playhead frame, seconds, last frame.</extracomment>
            <translation>Frame %1 · %2 s · der Take endet bei Frame %3</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::PromptTokenCounter</name>
        <message>
            <source>Counting prompt tokens</source>
            <translation>Prompt-Tokens werden gezählt</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::ShortcutsDialog</name>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>Tastenkürzel</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Aktion</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>Tastenkürzel</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Tastenkürzel</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::StartPage</name>
        <message>
            <source>Reading the recent projects</source>
            <translation>Die zuletzt verwendeten Projekte werden gelesen</translation>
        </message>
        <message>
            <source>%1
%2
Saved %3</source>
            <extracomment>A recent project on the start page: its name, then its folder and when it was last saved.</extracomment>
            <translation>%1
%2
Gespeichert %3</translation>
        </message>
        <message>
            <source>%1, in %2</source>
            <translation>%1, in %2</translation>
        </message>
        <message>
            <source>%1 — not found
%2</source>
            <translation>%1 — nicht gefunden
%2</translation>
        </message>
        <message>
            <source>%1, not found: %2 (can be removed from the list)</source>
            <translation>%1, nicht gefunden: %2 (kann aus der Liste entfernt werden)</translation>
        </message>
        <message>
            <source>A recovery file could not be read: %1</source>
            <translation>Eine Wiederherstellungsdatei konnte nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>Changes autosaved at %1.</source>
            <translation>Änderungen automatisch gesichert um %1.</translation>
        </message>
        <message>
            <source>The project file was saved after that: compare both before you recover.</source>
            <translation>Die Projektdatei wurde danach gespeichert: Vergleichen Sie beide, bevor Sie wiederherstellen.</translation>
        </message>
        <message>
            <source>The project file is no longer there.</source>
            <translation>Die Projektdatei ist nicht mehr vorhanden.</translation>
        </message>
        <message>
            <source>Recover</source>
            <translation>Wiederherstellen</translation>
        </message>
        <message>
            <source>Recover the changes to %1</source>
            <translation>Die Änderungen an %1 wiederherstellen</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>Verwerfen</translation>
        </message>
        <message>
            <source>Discard the changes to %1</source>
            <translation>Die Änderungen an %1 verwerfen</translation>
        </message>
        <message>
            <source>Show Both</source>
            <translation>Beide zeigen</translation>
        </message>
        <message>
            <source>Show the changes to %1 and the saved file side by side</source>
            <translation>Die Änderungen an %1 und die gespeicherte Datei nebeneinander zeigen</translation>
        </message>
        <message>
            <source>Opens the recovered changes in this window and the saved file in a second window beside it</source>
            <translation>Öffnet die wiederhergestellten Änderungen in diesem Fenster und die gespeicherte Datei in einem zweiten Fenster daneben</translation>
        </message>
        <message>
            <source>New projects use the built-in demo model (untrained: it makes noise-like video, so that everything can be tried without a download).</source>
            <translation>Neue Projekte verwenden das eingebaute Demomodell (untrainiert: Es erzeugt rauschartiges Video, damit sich alles ohne Download ausprobieren lässt).</translation>
        </message>
        <message>
            <source>New projects use the model folder %1.</source>
            <translation>Neue Projekte verwenden den Modellordner %1.</translation>
        </message>
        <message>
            <source>sfstudio</source>
            <translation>sfstudio</translation>
        </message>
        <message>
            <source>Storyboard a video with keyframes and prompts, and watch it generate as you work.</source>
            <translation>Ein Video mit Keyframes und Prompts als Storyboard anlegen und zusehen, wie es beim Arbeiten entsteht.</translation>
        </message>
        <message>
            <source>&amp;New Project</source>
            <translation>&amp;Neues Projekt</translation>
        </message>
        <message>
            <source>New project</source>
            <translation>Neues Projekt</translation>
        </message>
        <message>
            <source>&amp;Open…</source>
            <translation>Ö&amp;ffnen …</translation>
        </message>
        <message>
            <source>Open a project</source>
            <translation>Ein Projekt öffnen</translation>
        </message>
        <message>
            <source>Open the &amp;Sample Project</source>
            <translation>&amp;Beispielprojekt öffnen</translation>
        </message>
        <message>
            <source>Open the sample project</source>
            <translation>Das Beispielprojekt öffnen</translation>
        </message>
        <message>
            <source>A short storyboard with keyframes and prompts, ready to generate with the built-in demo model</source>
            <translation>Ein kurzes Storyboard mit Keyframes und Prompts, bereit zum Generieren mit dem eingebauten Demomodell</translation>
        </message>
        <message>
            <source>&amp;Model Setup…</source>
            <translation>&amp;Modell einrichten …</translation>
        </message>
        <message>
            <source>Choose the model for new projects</source>
            <translation>Das Modell für neue Projekte wählen</translation>
        </message>
        <message>
            <source>Recover unsaved changes</source>
            <translation>Ungesicherte Änderungen wiederherstellen</translation>
        </message>
        <message>
            <source>sfstudio did not close properly last time. These changes were saved automatically:</source>
            <translation>sfstudio wurde beim letzten Mal nicht ordnungsgemäß beendet. Diese Änderungen wurden automatisch gesichert:</translation>
        </message>
        <message>
            <source>Recent Projects</source>
            <translation>Zuletzt verwendete Projekte</translation>
        </message>
        <message>
            <source>Recent projects</source>
            <translation>Zuletzt verwendete Projekte</translation>
        </message>
        <message>
            <source>No recent projects yet. Start a new project or open the sample project to try the studio.</source>
            <translation>Noch keine zuletzt verwendeten Projekte. Beginnen Sie ein neues Projekt oder öffnen Sie das Beispielprojekt, um das Studio auszuprobieren.</translation>
        </message>
        <message>
            <source>Open Selected</source>
            <translation>Auswahl öffnen</translation>
        </message>
        <message>
            <source>&amp;Remove from List</source>
            <translation>Aus der Liste &amp;entfernen</translation>
        </message>
        <message>
            <source>Removes the project from this list; the file stays</source>
            <translation>Entfernt das Projekt aus dieser Liste; die Datei bleibt erhalten</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::TakeSelector</name>
        <message>
            <source>complete</source>
            <translation>vollständig</translation>
        </message>
        <message>
            <source>stopped</source>
            <translation>angehalten</translation>
        </message>
        <message>
            <source>generating</source>
            <translation>wird generiert</translation>
        </message>
        <message>
            <source>%1 · %2 · %3 · %4/%5 chunks</source>
            <extracomment>A take in the take selector: id, when it was made, status, chunks done of planned.</extracomment>
            <translation>%1 · %2 · %3 · %4/%5 Chunks</translation>
        </message>
        <message>
            <source> · from chunk %1 of %2</source>
            <extracomment>A take regenerated from chunk %1 of take %2 ("regenerate from here").</extracomment>
            <translation> · ab Chunk %1 von Take %2</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::ImageImport</name>
        <message>
            <source>Importing images</source>
            <translation>Bilder werden importiert</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::TimelineView</name>
        <message>
            <source>Timeline</source>
            <translation>Zeitleiste</translation>
        </message>
        <message numerus="yes">
            <source>%n frame(s), %1 keyframe(s), %2 prompt segment(s), %3 marker(s); playhead at frame %4 (%5)</source>
            <extracomment>Accessible description of the timeline: what it holds and where the playhead is.</extracomment>
            <translation>
                <numerusform>%n Frame, %1 Keyframe(s), %2 Prompt-Abschnitt(e), %3 Marker; Abspielposition bei Frame %4 (%5)</numerusform>
                <numerusform>%n Frames, %1 Keyframe(s), %2 Prompt-Abschnitt(e), %3 Marker; Abspielposition bei Frame %4 (%5)</numerusform>
            </translation>
        </message>
        <message>
            <source>Not possible: %1</source>
            <extracomment>A timeline edit was refused; %1 says why (in English, from the project rules).</extracomment>
            <translation>Nicht möglich: %1</translation>
        </message>
        <message numerus="yes">
            <source>Importing %n image(s)…</source>
            <translation>
                <numerusform>%n Bild wird importiert…</numerusform>
                <numerusform>%n Bilder werden importiert…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Add %n Keyframe(s)</source>
            <translation>
                <numerusform>%n Keyframe hinzufügen</numerusform>
                <numerusform>%n Keyframes hinzufügen</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Added %n keyframe(s)</source>
            <translation>
                <numerusform>%n Keyframe hinzugefügt</numerusform>
                <numerusform>%n Keyframes hinzugefügt</numerusform>
            </translation>
        </message>
        <message>
            <source>Replace Keyframe Image</source>
            <translation>Keyframe-Bild ersetzen</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Bilder</translation>
        </message>
        <message>
            <source>Prompt text</source>
            <translation>Prompt-Text</translation>
        </message>
        <message>
            <source>Marker name</source>
            <translation>Markername</translation>
        </message>
        <message>
            <source>Marker %1</source>
            <extracomment>The name a new marker gets; the user renames it with a double-click.</extracomment>
            <translation>Marker %1</translation>
        </message>
        <message>
            <source>Cannot place it here: %1</source>
            <extracomment>Shown at the pointer while an item is dragged where it cannot go.</extracomment>
            <translation>Hier nicht möglich: %1</translation>
        </message>
        <message>
            <source>Keyframe not moved: %1</source>
            <translation>Keyframe nicht verschoben: %1</translation>
        </message>
        <message>
            <source>Marker not moved: %1</source>
            <translation>Marker nicht verschoben: %1</translation>
        </message>
        <message>
            <source>Replace Image…</source>
            <translation>Bild ersetzen…</translation>
        </message>
        <message>
            <source>Strength</source>
            <translation>Stärke</translation>
        </message>
        <message>
            <source>%1%</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>Einpassung</translation>
        </message>
        <message>
            <source>Cover (crop to fill)</source>
            <translation>Füllen (überstehende Ränder abschneiden)</translation>
        </message>
        <message>
            <source>Fit (black bars)</source>
            <translation>Einpassen (schwarze Balken)</translation>
        </message>
        <message>
            <source>Stretch</source>
            <translation>Strecken</translation>
        </message>
        <message>
            <source>Delete Keyframe</source>
            <translation>Keyframe löschen</translation>
        </message>
        <message>
            <source>Edit Text</source>
            <translation>Text bearbeiten</translation>
        </message>
        <message>
            <source>Split at Playhead</source>
            <translation>An der Abspielposition teilen</translation>
        </message>
        <message>
            <source>Merge with Next</source>
            <translation>Mit dem nächsten zusammenführen</translation>
        </message>
        <message>
            <source>Delete Segment</source>
            <translation>Abschnitt löschen</translation>
        </message>
        <message>
            <source>Rename Marker</source>
            <translation>Marker umbenennen</translation>
        </message>
        <message>
            <source>Delete Marker</source>
            <translation>Marker löschen</translation>
        </message>
        <message>
            <source>Add Marker at Playhead</source>
            <translation>Marker an der Abspielposition setzen</translation>
        </message>
        <message>
            <source>Add Keyframe Images…</source>
            <translation>Keyframe-Bilder hinzufügen…</translation>
        </message>
        <message>
            <source>Add Keyframe Images</source>
            <translation>Keyframe-Bilder hinzufügen</translation>
        </message>
        <message>
            <source>Zoom to Fit</source>
            <translation>Alles anzeigen</translation>
        </message>
        <message>
            <source>Frame %1 · %2 s · latent frame %3 · chunk %4</source>
            <extracomment>Tooltip line: a frame, its time, its latent frame and its chunk.</extracomment>
            <translation>Frame %1 · %2 s · Latent-Frame %3 · Chunk %4</translation>
        </message>
        <message>
            <source>Keyframe at frame %1: %2, strength %3%</source>
            <translation>Keyframe bei Frame %1: %2, Stärke %3 %</translation>
        </message>
        <message>
            <source>Changed since this generation started: the take does not show it yet</source>
            <translation>Seit Beginn dieser Generierung geändert: Der Take zeigt es noch nicht</translation>
        </message>
        <message>
            <source>Marker "%1" at frame %2</source>
            <translation>Marker „%1“ bei Frame %2</translation>
        </message>
        <message>
            <source>(empty prompt)</source>
            <translation>(leerer Prompt)</translation>
        </message>
        <message>
            <source>Never takes effect: a later segment starts in the same chunk, or the timeline ends first</source>
            <translation>Wird nie wirksam: Ein späterer Abschnitt beginnt im selben Chunk, oder die Zeitleiste endet vorher</translation>
        </message>
        <message>
            <source>Takes effect at frame %1, the next chunk start</source>
            <translation>Wirkt ab Frame %1, dem nächsten Chunk-Anfang</translation>
        </message>
        <message>
            <source>Drag to move where this prompt starts</source>
            <translation>Ziehen, um den Anfang dieses Prompts zu verschieben</translation>
        </message>
        <message>
            <source>No take yet: Generate makes one</source>
            <translation>Noch kein Take: „Generieren“ erzeugt einen</translation>
        </message>
        <message>
            <source>Edited while generating: the new prompt applies from frame %1, the next chunk</source>
            <translation>Während der Generierung geändert: Der neue Prompt gilt ab Frame %1, dem nächsten Chunk</translation>
        </message>
        <message>
            <source>Chunk %1 is being generated</source>
            <translation>Chunk %1 wird generiert</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::UserGuideDialog</name>
        <message>
            <source>sfstudio User Guide</source>
            <translation>sfstudio-Benutzerhandbuch</translation>
        </message>
        <message>
            <source>User guide</source>
            <translation>Benutzerhandbuch</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Wird geladen …</translation>
        </message>
        <message>
            <source>Reading the user guide</source>
            <translation>Das Benutzerhandbuch wird gelesen</translation>
        </message>
        <message>
            <source>The user guide could not be read: %1</source>
            <translation>Das Benutzerhandbuch konnte nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>The user guide (user-guide.md) was not found. sfstudio looked in:

%1</source>
            <translation>Das Benutzerhandbuch (user-guide.md) wurde nicht gefunden. sfstudio hat hier gesucht:

%1</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::MemoryPanel</name>
        <message>
            <source>Memory</source>
            <translation>Speicher</translation>
        </message>
        <message>
            <source>Memory estimate</source>
            <translation>Speicherschätzung</translation>
        </message>
        <message>
            <source>The memory the next take needs on its device, estimated from the render settings, against the memory the device has free</source>
            <translation>Der Speicher, den der nächste Take auf seinem Gerät braucht, geschätzt aus den Render-Einstellungen, verglichen mit dem freien Speicher des Geräts</translation>
        </message>
        <message>
            <source>Estimating…</source>
            <translation>Wird geschätzt…</translation>
        </message>
        <message>
            <source>No estimate: %1</source>
            <translation>Keine Schätzung: %1</translation>
        </message>
        <message>
            <source>the CPU</source>
            <translation>der CPU</translation>
        </message>
        <message>
            <source>DiT weights (%1)</source>
            <translation>DiT-Gewichte (%1)</translation>
        </message>
        <message numerus="yes">
            <source>KV cache (window of %n latent frame(s))</source>
            <translation>
                <numerusform>KV-Cache (Fenster von %n latenten Bild)</numerusform>
                <numerusform>KV-Cache (Fenster von %n latenten Bildern)</numerusform>
            </translation>
        </message>
        <message>
            <source>DiT activations</source>
            <translation>DiT-Aktivierungen</translation>
        </message>
        <message>
            <source>Decoders</source>
            <translation>Decoder</translation>
        </message>
        <message>
            <source>Text encoder</source>
            <translation>Text-Encoder</translation>
        </message>
        <message>
            <source>%1 while encoding, then freed</source>
            <translation>%1 beim Kodieren, danach freigegeben</translation>
        </message>
        <message>
            <source>on another device, not counted</source>
            <translation>auf einem anderen Gerät, nicht gezählt</translation>
        </message>
        <message>
            <source>Peak on %1</source>
            <translation>Spitze auf %1</translation>
        </message>
        <message>
            <source>Free on %1</source>
            <translation>Frei auf %1</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message>
            <source>The device's free memory is unknown: not checked.</source>
            <translation>Der freie Speicher des Geräts ist unbekannt: nicht geprüft.</translation>
        </message>
        <message>
            <source>Fits, with %1 to spare.</source>
            <translation>Passt, mit %1 Reserve.</translation>
        </message>
        <message>
            <source>Does not fit: %1 short. No setting change is enough; use a smaller size, fewer frames or another device.</source>
            <translation>Passt nicht: %1 zu wenig. Keine Änderung der Einstellungen reicht; nehmen Sie eine kleinere Größe, weniger Bilder oder ein anderes Gerät.</translation>
        </message>
        <message>
            <source>Does not fit: %1 short. Any of these settings would fit:</source>
            <translation>Passt nicht: %1 zu wenig. Jede dieser Einstellungen würde passen:</translation>
        </message>
        <message>
            <source>A window of %1 latent frames (sink %2)</source>
            <translation>Ein Fenster von %1 latenten Bildern (Sink %2)</translation>
        </message>
        <message>
            <source>TAEHV as the decoder</source>
            <translation>TAEHV als Decoder</translation>
        </message>
        <message>
            <source>The text encoder on the CPU</source>
            <translation>Der Text-Encoder auf der CPU</translation>
        </message>
        <message>
            <source>%1 instead of %2</source>
            <translation>%1 statt %2</translation>
        </message>
        <message>
            <source>All of these together</source>
            <translation>Alle zusammen</translation>
        </message>
        <message>
            <source>%1 (needs %2)</source>
            <translation>%1 (braucht %2)</translation>
        </message>
        <message>
            <source>Change the render settings to this (undoable)</source>
            <translation>Die Render-Einstellungen so ändern (rückgängig zu machen)</translation>
        </message>
        <message>
            <source>Text encoder (while encoding)</source>
            <translation>Text-Encoder (beim Kodieren)</translation>
        </message>
        <message>
            <source>on another device</source>
            <translation>auf einem anderen Gerät</translation>
        </message>
    </context>
    <context>
        <name>sfs::ui::LoraListEditor</name>
        <message>
            <source>Add LoRA…</source>
            <translation>LoRA hinzufügen …</translation>
        </message>
        <message>
            <source>Merge a LoRA file (PEFT, diffusers or ComfyUI) into the video model</source>
            <translation>Eine LoRA-Datei (PEFT, diffusers oder ComfyUI) in das Videomodell einrechnen</translation>
        </message>
        <message>
            <source>No LoRA</source>
            <translation>Keine LoRA</translation>
        </message>
        <message>
            <source>Strength of LoRA %1</source>
            <translation>Stärke der LoRA %1</translation>
        </message>
        <message>
            <source>1 applies the LoRA as trained, 0 not at all</source>
            <translation>1 wendet die LoRA wie trainiert an, 0 gar nicht</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Remove LoRA %1</source>
            <translation>LoRA %1 entfernen</translation>
        </message>
        <message>
            <source>Add LoRA</source>
            <translation>LoRA hinzufügen</translation>
        </message>
        <message>
            <source>LoRA files (*.safetensors *.pt *.pth *.ckpt *.bin);;All files (*)</source>
            <translation>LoRA-Dateien (*.safetensors *.pt *.pth *.ckpt *.bin);;Alle Dateien (*)</translation>
        </message>
    </context>
</TS>
