// A discovered model folder turned into loadable configurations (sfs/inference/model_set.h).

#include <sfs/inference/model_set.h>

#include <optional>
#include <stdexcept>

namespace sfs::inference {

namespace {

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) {
        out += (out.empty() ? "" : "; ") + l;
    }
    return out;
}

// What keeps a discovered file from building its role's model ("" when nothing does).
std::string loadProblem(const DiscoveredFile& f) {
    if (!f.usable()) {
        return f.problems.empty() ? "not recognised as this role" : joined(f.problems);
    }
    try {
        switch (f.role) {
        case ModelRole::Dit:
            if (f.dit && f.dit->numHeads <= 0) {
                return "the number of attention heads is not stored in the weights: put Wan's "
                       "config.json (with num_heads) next to the file";
            }
            f.dit.value().validate();
            break;
        case ModelRole::Vae:
            f.vae.value().validate();
            break;
        case ModelRole::TextEncoder:
            f.t5.value().validate();
            break;
        case ModelRole::Taehv:
            f.taehv.value().validate();
            break;
        case ModelRole::Vace:
            f.vace.value().validate();
            break;
        case ModelRole::Tokenizer:
            if (!f.tokenizer || f.tokenizer->vocabSize <= 0) {
                return "an empty vocabulary";
            }
            break;
        case ModelRole::Lora:
            return "a LoRA, not a model";
        case ModelRole::Unknown:
            return "not a model file";
        }
    } catch (const std::invalid_argument& e) {
        return e.what();
    } catch (const std::bad_optional_access&) {
        return "its configuration could not be read";
    }
    return "";
}

// The best loadable file of a role, or the problems of every file of that role.
const DiscoveredFile* pick(const ModelInventory& inv, ModelRole role,
                           std::vector<RoleProblem>& problems) {
    const DiscoveredFile* f =
        inv.best(role, [](const DiscoveredFile& d) { return loadProblem(d).empty(); });
    if (f != nullptr) {
        return f;
    }
    bool any = false;
    for (const DiscoveredFile& d : inv.files) {
        if (d.role == role) {
            any = true;
            problems.push_back({role, d.path, loadProblem(d), modelRoleLookFor(role)});
        }
    }
    if (!any) {
        problems.push_back({role, "", "missing", modelRoleLookFor(role)});
    }
    return nullptr;
}

ModelFile fileOf(const DiscoveredFile& f) {
    return {f.path, f.section};
}

std::string describe(const std::string& root, const std::vector<RoleProblem>& problems) {
    std::string out = root + ": the models cannot be loaded:";
    for (const RoleProblem& p : problems) {
        out += std::string("\n  ") + modelRoleName(p.role) + ": " +
               (p.file.empty() ? p.problem : p.file + ": " + p.problem) +
               (p.lookFor.empty() ? "" : " (look for " + p.lookFor + ")");
    }
    return out;
}

} // namespace

ModelSetError::ModelSetError(std::string root, std::vector<RoleProblem> problems)
    : std::runtime_error(describe(root, problems)), m_root(std::move(root)),
      m_problems(std::move(problems)) {}

ModelSet resolveModelSet(const ModelInventory& inv) {
    ModelSet set;
    set.root = inv.root;
    set.demo = inv.demo;
    if (inv.demo) {
        set.notes.push_back(kDemoModelWarning);
    }
    std::vector<RoleProblem> problems;
    const DiscoveredFile* dit = pick(inv, ModelRole::Dit, problems);
    const DiscoveredFile* vae = pick(inv, ModelRole::Vae, problems);
    const DiscoveredFile* t5 = pick(inv, ModelRole::TextEncoder, problems);
    const DiscoveredFile* tokenizer = pick(inv, ModelRole::Tokenizer, problems);
    std::vector<RoleProblem> optional;
    const DiscoveredFile* taehv = pick(inv, ModelRole::Taehv, optional);
    std::vector<RoleProblem> optionalVace;
    const DiscoveredFile* vace = pick(inv, ModelRole::Vace, optionalVace);

    // The roles must fit together: what one hands on, the next takes.
    auto mismatch = [&](ModelRole role, const DiscoveredFile& f, const std::string& what) {
        problems.push_back({role, f.path, what, modelRoleLookFor(role)});
    };
    if (dit && t5 && dit->dit->textDim != t5->t5->dim) {
        mismatch(ModelRole::TextEncoder, *t5,
                 "its dim " + std::to_string(t5->t5->dim) + " is not the DiT's text_dim " +
                     std::to_string(dit->dit->textDim) + " (" + dit->path + ")");
    }
    if (dit && vae && (dit->dit->inDim != vae->vae->zDim || dit->dit->outDim != vae->vae->zDim)) {
        mismatch(ModelRole::Vae, *vae,
                 "its " + std::to_string(vae->vae->zDim) +
                     " latent channels do not match the DiT's in/out_dim " +
                     std::to_string(dit->dit->inDim) + "/" + std::to_string(dit->dit->outDim) +
                     " (" + dit->path + ")");
    }
    if (t5 && tokenizer && tokenizer->tokenizer->vocabSize > t5->t5->vocab) {
        mismatch(ModelRole::Tokenizer, *tokenizer,
                 std::to_string(tokenizer->tokenizer->vocabSize) +
                     " pieces, more than the text encoder's vocabulary of " +
                     std::to_string(t5->t5->vocab) + " (" + t5->path + ")");
    }
    if (!problems.empty()) {
        throw ModelSetError(inv.root, std::move(problems));
    }
    set.dit = *dit->dit;
    set.ditFile = fileOf(*dit);
    set.vae = *vae->vae;
    set.vaeFile = fileOf(*vae);
    set.textEncoder = *t5->t5;
    set.textEncoderFile = fileOf(*t5);
    set.tokenizerPath = tokenizer->path;
    if (taehv && taehv->taehv->latentChannels != set.dit.outDim) {
        optional.push_back({ModelRole::Taehv, taehv->path,
                            "its " + std::to_string(taehv->taehv->latentChannels) +
                                " latent channels are not the DiT's out_dim " +
                                std::to_string(set.dit.outDim),
                            ""});
        taehv = nullptr;
    }
    if (taehv) {
        set.taehv = *taehv->taehv;
        set.taehvFile = fileOf(*taehv);
    } else {
        for (const RoleProblem& p : optional) {
            if (!p.file.empty()) {
                set.notes.push_back("TAEHV " + p.file + " is not used: " + p.problem);
            }
        }
        set.notes.push_back("no TAEHV preview decoder: previews use the Wan VAE (add " +
                            modelRoleLookFor(ModelRole::Taehv) + ")");
    }
    // VACE is optional: blocks that do not fit this DiT are named in a note and not used.
    if (vace) {
        try {
            vace->vace->checkFits(set.dit);
            set.vace = *vace->vace;
            set.vaceFile = fileOf(*vace);
        } catch (const std::invalid_argument& e) {
            set.notes.push_back("VACE " + vace->path + " is not used: " + e.what());
        }
    } else {
        for (const RoleProblem& p : optionalVace) {
            if (!p.file.empty()) {
                set.notes.push_back("VACE " + p.file + " is not used: " + p.problem);
            }
        }
    }
    return set;
}

ModelSet resolveModelSet(const std::string& nameOrPath) {
    return resolveModelSet(discoverModels(nameOrPath));
}

} // namespace sfs::inference
