// make_test_lora OUT MODEL [INPUT_WIDTH]: writes a ComfyUI-named LoRA for MODEL's DiT ("demo" or
// a model folder) to OUT, for the CLI's LoRA tests; with INPUT_WIDTH, a LoRA for another model
// shape (its down matrices take that many inputs).

#include "../inference/demo_lora.h"

#include <sfs/inference/model_set.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::cerr << "usage: make_test_lora OUT MODEL [INPUT_WIDTH]\n";
        return 2;
    }
    try {
        const sfs::inference::ModelSet set = sfs::inference::resolveModelSet(argv[2]);
        sfs::inference::testing::writeDemoLora(argv[1], set.dit, 4, 11,
                                               argc == 4 ? std::stoll(argv[3]) : 0);
    } catch (const std::exception& e) {
        std::cerr << "make_test_lora: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
