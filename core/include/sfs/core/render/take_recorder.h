#pragma once
// Recording a take while it is generated. The take's files go into the assets folder:
//
//   <assets>/takes/<id>/frames/000000.png, 000001.png, …   one lossless 8-bit RGB PNG per frame
//   <assets>/takes/<id>/latents/chunk-00000.safetensors, …  one file per chunk, written by the
//                                                           latents writer (latents_file.h)
//
// and the take itself into the project through a TakeLedger: the undo stack of a
// ProjectDocument in the studio (DocumentTakeLedger), the project file for the CLI
// (ProjectFileTakeLedger). The take enters the project when generation starts (status
// Generating, no chunks) and is updated each time a chunk is complete: all its frames are on
// disk (each written whole under a temporary name, then renamed) and, when the take stores
// latents, the engine has said its latents are too (latentsStored()). So at any moment the
// project's chunksCompleted never counts more than is on disk, and a kill leaves a take whose
// first chunks are whole; loading turns it into a stopped take (settleInterruptedTakes() in
// project_file.h). Frames of an unfinished chunk are never counted (openTakeFrames() leaves
// them out; stop() deletes them).

#include "sfs/core/media/frame_sink.h"
#include "sfs/core/project/project.h"

#include <QMetaObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

namespace sfs::core {

class ProjectDocument;

// Where a take being recorded lives in the project.
class TakeLedger {
public:
    virtual ~TakeLedger() = default;
    // An id no take of the project has yet (on the thread add() runs on).
    virtual QString newTakeId() const = 0;
    // The take enters the project. Empty, or the problem.
    virtual QString add(const Take& take) = 0;
    // The take's new state (chunksCompleted, status), from the producer's thread. Empty, or the
    // problem (the recording then stops).
    virtual QString update(const Take& take) = 0;
};

// The studio's ledger: add() pushes an AddTakeCommand (call it on the document's thread); each
// update is queued to the document's thread as an UpdateTakeCommand, which merges into the
// take's one undo step. Saving is the user's (the autosaver writes the recovery file, which
// is settled like a project file when recovered). Undoing the take while it is generated stops
// the recording: the next update reports it. The document must outlive the ledger.
class DocumentTakeLedger : public TakeLedger {
public:
    explicit DocumentTakeLedger(ProjectDocument* document);
    ~DocumentTakeLedger() override;
    QString newTakeId() const override;
    QString add(const Take& take) override;
    QString update(const Take& take) override;

private:
    ProjectDocument* m_document;
    std::shared_ptr<std::atomic<bool>> m_removed;
    QMetaObject::Connection m_watch;
};

// The CLI's ledger: keeps the project value and writes it to `projectPath` atomically after
// every change (the take added, each chunk), unless `save` is false (--no-save: the file stays
// untouched; the take's files are still written to the assets folder).
class ProjectFileTakeLedger : public TakeLedger {
public:
    ProjectFileTakeLedger(QString projectPath, Project project, bool save = true);
    QString newTakeId() const override;
    QString add(const Take& take) override;
    QString update(const Take& take) override;
    Project project() const; // as last recorded (also when not saved)

private:
    QString write();

    QString m_path;
    bool m_save;
    mutable std::mutex m_mutex;
    Project m_project;
};

// What is about to be generated.
struct TakePlan {
    RenderSettings settings;  // what the take is generated with (its own copy)
    int durationFrames = 0;   // the frames it has when complete: a grid duration
    bool storeLatents = true; // reserve latentsPath for the engine's latents writer
    QString id;               // empty: a fresh one
    // Regenerating from a chunk of another take: the take's lineage (Take::parentTakeId,
    // Take::branchChunk); empty and 0 for a take generated from the start.
    QString parentTakeId;
    int branchChunk = 0;
};

// Records one take. start() on the ledger's thread (for a document, the document's thread);
// then the frames arrive through the FrameSink interface on the producer's thread, and one of
// finish(), stop() or fail() ends it. Every member is thread-safe; the ledger is called outside
// the recorder's lock (so a document's signals may read take()), but not from within one of its
// own calls (do not stop() from a slot of the document's takesChanged()).
class TakeRecorder final : public FrameSink {
public:
    TakeRecorder(std::unique_ptr<TakeLedger> ledger, QString assetsDir);
    // Stops a take that was neither finished nor stopped.
    ~TakeRecorder() override;

    // Creates the take's folders and adds the take to the project (status Generating). False,
    // with errorString(), when the plan is not a valid take or the folder or project refuses.
    bool start(const TakePlan& plan);

    Take take() const;            // the take as last recorded
    QString framesFolder() const; // absolute; valid after start()
    // Absolute path of the chunk folder a TakeLatentsWriter fills (one safetensors file per
    // chunk, tensor "latents", float32: sfs/inference/latents_file.h); created by start();
    // empty when the take stores no latents.
    QString latentsFolder() const;

    // The latents of the first `chunks` chunks are on disk. With storeLatents a chunk counts only
    // once both its frames and its latents are stored. False when the recording has failed.
    bool latentsStored(int chunks);

    // FrameSink. begin() checks that frames have the take's size; write() stores frame n (in
    // order from 0) and counts a chunk as complete after its last frame.
    bool begin(const StreamFormat& format) override;
    bool write(const Frame& frame) override;
    // The take is complete (every planned chunk stored). False, leaving it stopped with what it
    // has, when chunks are missing or the recording failed.
    bool finish() override;
    // Same as stop(): a take keeps what it has.
    bool cancel() override;
    // A failure on the producer's side: unlike other sinks, a take is not removed but stopped
    // with the chunks it has (the user decides whether to delete it).
    void abort() override;
    QString errorString() const override;

    // Stopped by the user: status Stopped after the chunks done (Complete when all are), the
    // frames of an unfinished chunk deleted. False when the project could not be updated.
    bool stop();
    // The generation failed with `reason`: the take stops with what it has. Returns the error
    // to report (the reason, plus any problem updating the project).
    QString fail(const QString& reason);

private:
    bool isRecordingLocked() const;
    bool failLocked(const QString& problem);
    void countChunksLocked();
    bool publish(); // hands the newest take to the ledger unless it has it
    bool end(TakeStatus wanted);

    std::unique_ptr<TakeLedger> m_ledger;
    QString m_assetsDir;
    mutable std::mutex m_mutex; // the state below
    std::mutex m_publishMutex;  // one ledger call at a time, never under m_mutex
    Take m_take;                // as recorded
    Take m_published;           // as the ledger last received it
    bool m_storeLatents = true;
    bool m_started = false;
    bool m_ended = false;
    int m_framesWritten = 0;
    int m_frameChunks = 0;  // chunks whose frames are all on disk
    int m_latentChunks = 0; // chunks whose latents are on disk
    QString m_error;
};

} // namespace sfs::core
