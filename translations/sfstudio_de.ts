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
    </context>
    <context>
        <name>sfs::core::ProjectDocument</name>
        <message>
            <source>Untitled</source>
            <translation>Unbenannt</translation>
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
            <source>Generate the timeline with the model</source>
            <translation>Die Zeitleiste mit dem Modell generieren</translation>
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
            <source>Preview</source>
            <translation>Vorschau</translation>
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
    </context>
    <context>
        <name>sfs::ui::TimelineView</name>
        <message>
            <source>Importing images</source>
            <translation>Bilder werden importiert</translation>
        </message>
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
            <source>Marker &quot;%1&quot; at frame %2</source>
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
</TS>
