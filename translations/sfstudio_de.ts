<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
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
    </context>
</TS>
