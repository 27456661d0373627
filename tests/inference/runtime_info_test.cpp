#include "sfs/inference/runtime_info.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <gtest/gtest.h>

namespace sfs::inference {

TEST(RuntimeInfo, ReportsTheLinkedTorchVersion) {
    const RuntimeInfo info = queryRuntime();
    EXPECT_FALSE(info.torchVersion.empty());
    EXPECT_EQ(info.torchVersion, torchVersion());
    EXPECT_NE(describeRuntime(info).find("LibTorch " + info.torchVersion), std::string::npos);
}

TEST(RuntimeInfo, SetCpuThreadsChangesTorchThreadCount) {
    setCpuThreads(1);
    EXPECT_EQ(at::get_num_threads(), 1);
    EXPECT_EQ(queryRuntime().cpuThreads, 1);
    EXPECT_NE(queryRuntime().deviceName.find("1 threads"), std::string::npos);
    setCpuThreads(0); // back to all cores
    EXPECT_GE(at::get_num_threads(), 1);
}

} // namespace sfs::inference
