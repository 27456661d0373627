#include "sfs/core/media/library_versions.h"

#include "sfs/build_config.h"
#include "sfs/inference/runtime_info.h"
#include "sfs/version.h"

#include <QtGlobal>

#if SFS_WITH_MEDIA
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
}
#include <OpenImageIO/oiioversion.h>
#endif

namespace sfs::core {

bool hasMediaSupport() {
#if SFS_WITH_MEDIA
    return true;
#else
    return false;
#endif
}

QList<QPair<QString, QString>> libraryVersions() {
    QList<QPair<QString, QString>> out;
    out.append({QStringLiteral("sfstudio"), QStringLiteral(SFS_VERSION_STRING)});
    out.append({QStringLiteral("Qt"), QString::fromLatin1(qVersion())});
    // Only the compile-time version here: querying devices may initialise CUDA.
    out.append({QStringLiteral("LibTorch"), QString::fromStdString(inference::torchVersion())});
#if SFS_WITH_MEDIA
    out.append({QStringLiteral("FFmpeg"), QString::fromLatin1(av_version_info())});
    const unsigned fmt = avformat_version();
    const unsigned codec = avcodec_version();
    out.append({QStringLiteral("libavformat"), QStringLiteral("%1.%2.%3")
                                                   .arg(AV_VERSION_MAJOR(fmt))
                                                   .arg(AV_VERSION_MINOR(fmt))
                                                   .arg(AV_VERSION_MICRO(fmt))});
    out.append({QStringLiteral("libavcodec"), QStringLiteral("%1.%2.%3")
                                                  .arg(AV_VERSION_MAJOR(codec))
                                                  .arg(AV_VERSION_MINOR(codec))
                                                  .arg(AV_VERSION_MICRO(codec))});
    out.append({QStringLiteral("OpenImageIO"), QStringLiteral(OIIO_VERSION_STRING)});
#else
    const QString none = QStringLiteral("not built in (SFS_WITH_MEDIA=OFF)");
    out.append({QStringLiteral("FFmpeg"), none});
    out.append({QStringLiteral("OpenImageIO"), none});
#endif
    return out;
}

QString computeDeviceDescription() {
    return QString::fromStdString(inference::describeRuntime(inference::queryRuntime()));
}

} // namespace sfs::core
