"""Requester questions for measuring knowledge-base suggestions on the Aalto scicomp docs.

The knowledge base imports every reStructuredText page of
``kb/aalto-scicomp-docs`` in the shared data folder (``deskwise.testing.shared_data``):
Aalto University's scientific computing guide, 222 pages on the Triton cluster,
Slurm, storage, remote access, Jupyter, software, accounts... Each entry here is
``(question, best page, other acceptable pages)``: what a requester might type into
the portal, the page (path relative to the docs root) that answers it best, and the
other pages that answer it too. ``kb_eval.evaluate`` counts a hit at k when the best
page or an acceptable one is among the first k suggestions.

How the set was written: each target page was read first, and a question was kept
only when that page really answers it. The questions are phrased the way people
write to a help desk, not the way the docs are titled: first person, the symptom or
the goal instead of the technical term ("my simulation gets cancelled at exactly one
hour" rather than "Slurm time limit"), error messages pasted where a user would
paste one, some typos, some vague questions and some long ones. When several pages
answer, the most specific one is the best page and the others are acceptable;
fragments that are included into bigger pages (``ref/*.rst``,
``examples/monitoring/*.rst``, ``apps/importantnotes/*.rst``) count as answering when
their own text does. 136 questions, 94 distinct best pages, none the best page of
more than three questions.

Difficulty, measured when the set was written: a plain TF-IDF over each page's title
and text (scikit-learn, English stop words, cosine) has a right page first for about
40% of the questions and in its top three for about 69% (57% if only the best page
counted); ``kb_eval.title_overlap_suggester`` gets about 5% and 12%. Enough word
overlap that a search can succeed, not so much that the set is trivial.

Licence: the questions and their page assignments are ours, under the project's
licence (AGPL-3.0-or-later). The pages they point to are the Aalto Scientific
Computing docs (https://github.com/AaltoSciComp/scicomp-docs), Copyright Aalto
University and contributors, CC-BY 4.0 with examples CC0; see the LICENSE and README
in that folder. No text of the pages is copied here, only their paths (the few error
messages quoted in questions are what the software itself prints).
"""

from __future__ import annotations

Question = tuple[str, str, tuple[str, ...]]

QUESTIONS: list[Question] = [
    # --- accounts, policies, acknowledgement --------------------------------------------------
    (
        "Hi, I'm a new postdoc in applied physics and I'd like to run my simulations on the "
        "university cluster. How do I get access? Do I need a separate username and password?",
        "triton/accounts.rst",
        ("triton/usagepolicy.rst",),
    ),
    (
        "I'm a master's student doing my thesis in a research group and my prof said I could "
        "use the cluster. Am I actually allowed to, and who should I name as supervisor?",
        "triton/accounts.rst",
        ("triton/usagepolicy.rst",),
    ),
    (
        "I'm leaving Aalto at the end of the month. Please close my cluster access and take "
        "me off the triton-users emails. What happens to my files?",
        "triton/accounts.rst",
        ("triton/usage/faq.rst",),
    ),
    (
        "Can I use Triton for my machine learning course homework? It's not research, just "
        "the weekly exercises, but my laptop is too slow.",
        "triton/usagepolicy.rst",
        ("triton/accounts.rst", "aalto/welcomestudents.rst"),
    ),
    (
        "My job at Aalto finishes on the 31st but I'm still writing up results with my group."
        " Will I lose my login then, and is there any way to keep it a bit longer?",
        "aalto/account.rst",
        (),
    ),
    (
        "Our paper just got accepted and all experiments were computed on the cluster. Is "
        "there a standard sentence I should put in the acknowledgements?",
        "triton/acknowledgingtriton.rst",
        ("triton/usagepolicy.rst",),
    ),
    (
        "The university publication database wants me to link my new article to the "
        "infrastructure it used. What do I pick if I ran everything on Triton?",
        "triton/acknowledgingtriton.rst",
        (),
    ),
    (
        "Can other people on the cluster see what I'm running and how much I've used? I'm a "
        "bit worried about privacy.",
        "triton/usagepolicy.rst",
        (),
    ),
    (
        "Our lab got money for compute. Could we buy our own machines and have them run as "
        "part of the university cluster?",
        "aalto/welcomeresearchers.rst",
        (),
    ),
    # --- connecting ---------------------------------------------------------------------------
    (
        "ssh to triton just hangs and then times out from my home wifi. It worked fine in the"
        " office yesterday, did something break?",
        "triton/tut/connecting.rst",
        ("triton/ref/connecting.rst", "triton/quickstart/connecting.rst", "aalto/remoteaccess.rst"),
    ),
    (
        "I'm on Windows 11 and have never used a terminal. What program do I use to log into "
        "the cluster, and is there something I must install first?",
        "triton/tut/connecting.rst",
        ("triton/ref/connecting.rst", "triton/quickstart/connecting.rst"),
    ),
    (
        "Every login I have to type my password, and I'm not allowed to install the VPN "
        "program on my own laptop. Is there another way in from home?",
        "triton/quickstart/connecting.rst",
        ("triton/tut/connecting.rst", "aalto/remoteaccess.rst", "triton/ref/connecting.rst"),
    ),
    (
        "The very first time I log in, ssh asks whether I trust the host and shows a long "
        "code. How can I check it's really the cluster and not something fishy?",
        "triton/usage/ssh-fingerprints.rst",
        ("triton/tut/connecting.rst",),
    ),
    (
        "I need to be 'on the Aalto network' from my personal Linux laptop at home. The "
        "instructions I found are only for Windows and Mac, what do I use?",
        "aalto/remoteaccess.rst",
        (),
    ),
    (
        "I need to reach an internal aalto.fi web page from home but I don't want all my "
        "traffic going through the university. Any trick for just that one site?",
        "aalto/remoteaccess.rst",
        (),
    ),
    (
        "how can i ssh into my own office desktop from home? it's an aalto linux machine",
        "aalto/remoteaccess.rst",
        ("aalto/linux.rst",),
    ),
    (
        "Is there a way to use the cluster from a web browser? I'm really not comfortable "
        "with terminals.",
        "triton/usage/ood.rst",
        ("triton/tut/connecting.rst", "triton/ref/connecting.rst"),
    ),
    (
        "I'm on a PC and when I start a plotting GUI on triton over ssh it says it can't open"
        " the display. What do I need on my side?",
        "triton/quickstart/installxonwindows.rst",
        ("triton/tut/connecting.rst",),
    ),
    (
        "Can I upload files to the cluster just by picking them in a browser, without any ssh "
        "program?",
        "triton/usage/ood.rst",
        ("triton/apps/speech2text.rst",),
    ),
    # --- running jobs -------------------------------------------------------------------------
    (
        "My simulation gets cancelled at exactly one hour every time, the log says DUE TO "
        "TIME LIMIT. Can I let it run for two days?",
        "triton/tut/slurm.rst",
        (
            "triton/tut/serial.rst",
            "triton/usage/faq.rst",
            "triton/ref/slurm.rst",
            "triton/ref/partitions.rst",
            "triton/ref/index.rst",
        ),
    ),
    (
        "I want to try my script on a compute node by hand and poke around, not submit and "
        "wait. How do I get a shell on one of the nodes?",
        "triton/tut/interactive.rst",
        ("triton/quickstart/jobs.rst", "triton/ref/slurm.rst"),
    ),
    (
        "My GUI program won't open on the node I reserved, cannot open display. How do I get "
        "graphics when I work on a compute node?",
        "triton/tut/interactive.rst",
        ("triton/usage/faq.rst", "triton/quickstart/jobs.rst"),
    ),
    (
        "I've been running my pyhton analysis from an open terminal with srun but it dies "
        "whenever I close the lid of my laptop. How do I let it keep going without me?",
        "triton/tut/serial.rst",
        ("triton/quickstart/jobs.rst", "triton/tut/interactive.rst"),
    ),
    (
        "I put #SBATCH --mem=16G at the top of my script but when I run 'bash run.sh' it "
        "still seems to ignore it and runs on the login node??",
        "triton/tut/serial.rst",
        ("triton/quickstart/jobs.rst",),
    ),
    (
        "How do I know how much memory and how many cores to ask for? I have no idea, I just "
        "put 64G and 16 cpus because that's what my labmate did.",
        "triton/usage/program-size.rst",
        ("triton/tut/slurm.rst", "triton/tut/monitoring.rst"),
    ),
    (
        "I have 300 input files and need to run the same analysis on each one. Writing and "
        "submitting 300 scripts by hand seems dumb, is there a better way?",
        "triton/tut/array.rst",
        ("triton/tut/parallel.rst",),
    ),
    (
        "How can each of my runs pick a different line from a text file of parameters? I want"
        " to sweep over 40 learning rates.",
        "triton/tut/array.rst",
        ("triton/discipline/machinelearning.rst",),
    ),
    (
        "I submit thousands of tiny jobs that take two minutes each and got an email asking "
        "me to stop flooding the scheduler. How do I pack them together?",
        "triton/tut/array.rst",
        (),
    ),
    (
        "Step two of my pipeline should start only when step one has finished OK, without me "
        "sitting there watching the queue. Possible?",
        "triton/tut/dependency.rst",
        (),
    ),
    (
        "My job has been PENDING for hours. Can I see when it is expected to start, and why "
        "it's waiting?",
        "triton/tut/monitoring.rst",
        ("triton/ref/slurm_status.rst", "triton/usage/faq.rst"),
    ),
    (
        "how do I check how much memory my finished job actually used, so I can lower the "
        "request next time?",
        "triton/tut/monitoring.rst",
        (
            "triton/examples/monitoring/seff.rst",
            "triton/tut/interactive.rst",
            "triton/ref/slurm_status.rst",
        ),
    ),
    (
        "The efficiency report for my job says CPU Efficiency 12%. What does that mean, am I "
        "doing something wrong?",
        "triton/examples/monitoring/seff.rst",
        ("triton/tut/monitoring.rst", "triton/tut/parallel-shared.rst"),
    ),
    (
        "Can the cluster send me an email when my job ends or crashes? I keep checking every "
        "ten minutes.",
        "triton/ref/slurm.rst",
        ("triton/ref/index.rst", "triton/discipline/machinelearning.rst"),
    ),
    (
        "Is there a one-page cheat sheet of the most common cluster commands and job options?",
        "triton/ref/index.rst",
        ("triton/ref/slurm.rst",),
    ),
    (
        "sbatch: error: Batch job submission failed: Invalid account or account/partition "
        "combination specified. I only got my account last week.",
        "triton/usage/faq.rst",
        (),
    ),
    (
        "srun: error: Unable to allocate resources: Job violates accounting/QOS policy. I "
        "asked for -p gpu-h100-80g to do some CPU preprocessing next to the data.",
        "triton/usage/faq.rst",
        ("triton/ref/gpu.rst", "triton/tut/gpu.rst"),
    ),
    (
        "Why does my colleague's stuff always start before mine? We're in the same group and "
        "submit similar things. Does the queue play favourites?",
        "triton/tut/slurm.rst",
        (
            "triton/usage/program-size.rst",
            "triton/accounts.rst",
            "triton/tut/monitoring.rst",
        ),
    ),
    (
        "slurmstepd: error: Detected 1 oom_kill event in StepId=4402211.batch. Some of the "
        "step tasks have been OOM Killed. What did I do wrong?",
        "triton/tut/slurm.rst",
        (
            "triton/tut/interactive.rst",
            "triton/tut/monitoring.rst",
            "triton/usage/program-size.rst",
        ),
    ),
    (
        "My simulation needs about three weeks of compute in one go. Is that even possible "
        "here, or do I have to split it up somehow?",
        "triton/ref/partitions.rst",
        (
            "triton/tut/monitoring.rst",
            "triton/tut/slurm.rst",
            "triton/usage/faq.rst",
            "triton/ref/index.rst",
        ),
    ),
    # --- GPUs ---------------------------------------------------------------------------------
    (
        "How do I get a graphics card for my deep learning training? Importing torch and "
        "moving the model to cuda gives an error.",
        "triton/tut/gpu.rst",
        ("triton/discipline/machinelearning.rst", "triton/apps/pytorch.rst"),
    ),
    (
        "My model needs at least 40 GB of GPU memory. How do I make sure I don't land on one "
        "of the small 16GB cards?",
        "triton/tut/gpu.rst",
        ("triton/ref/gpu.rst", "triton/ref/slurm.rst"),
    ),
    (
        "libcuda.so.1: cannot open shared object file: No such file or directory  - I get "
        "this when I test my code right after logging in",
        "triton/tut/gpu.rst",
        ("triton/usage/faq.rst",),
    ),
    (
        "Which GPU models does the cluster have and how many of each? I need the numbers for "
        "a grant proposal.",
        "triton/ref/gpu.rst",
        ("triton/tut/gpu.rst", "triton/ref/hardware.rst", "triton/overview.rst"),
    ),
    (
        "my training job reserved an A100 but I suspect it's barely doing anything. How can I"
        " see how busy the card was after the job ended?",
        "triton/examples/monitoring/gpu.rst",
        ("triton/tut/gpu.rst", "triton/tut/monitoring.rst"),
    ),
    (
        "My compiled program fails with 'cannot execute binary file: Exec format error' on "
        "the gpuarm nodes, but the same binary works on the other GPU nodes",
        "triton/usage/gracehopper.rst",
        (),
    ),
    (
        "torch can't use the newest GPUs, it complains about the compute capability. Which "
        "environment should I load for those cards?",
        "triton/apps/pytorch.rst",
        ("triton/tut/gpu.rst",),
    ),
    # --- parallel -----------------------------------------------------------------------------
    (
        "I requested 8 cores but my python code is no faster than with one core. How is the "
        "program supposed to find out how many it got?",
        "triton/tut/parallel-shared.rst",
        ("triton/tut/parallel.rst",),
    ),
    (
        "What's the difference between --ntasks and --cpus-per-task? I don't know which one "
        "my code needs, it uses numpy and joblib",
        "triton/tut/parallel.rst",
        ("triton/tut/parallel-shared.rst", "triton/ref/slurm.rst"),
    ),
    (
        "I built my own openmpi and now all my processes think they are rank 0 and don't see "
        "each other when I srun them.",
        "triton/tut/parallel-mpi.rst",
        (),
    ),
    (
        "My julia code runs way slower on the cluster than on my laptop even though I "
        "reserved 4 cpus. Too many threads maybe?",
        "triton/apps/julia.rst",
        ("triton/tut/parallel-shared.rst",),
    ),
    # --- storage and data ---------------------------------------------------------------------
    (
        "Where am I supposed to put a 500GB dataset on the cluster? My home folder is tiny.",
        "triton/tut/storage.rst",
        ("triton/ref/storage.rst", "triton/usage/storage.rst", "triton/usage/quotas.rst"),
    ),
    (
        "Is the stuff in my work directory backed up? I accidentally rm -r'd a results folder"
        " this morning, can you get it back?",
        "triton/tut/storage.rst",
        (
            "triton/usage/faq.rst",
            "triton/ref/storage.rst",
            "triton/usage/quotas.rst",
            "triton/ref/quotas.rst",
        ),
    ),
    (
        "Our group of five needs a shared folder we can all write to for a joint project. How"
        " do we get one?",
        "triton/tut/storage.rst",
        ("triton/usage/quotas.rst", "triton/ref/storage.rst"),
    ),
    (
        "I'm out of space in my home directory, can you give me more? pip and conda packages "
        "filled it.",
        "triton/usage/quotas.rst",
        ("triton/ref/quotas.rst", "triton/tut/storage.rst", "triton/apps/conda.rst"),
    ),
    (
        "something is eating all my space on the cluster and I can't figure out what. how do "
        "I find the big stuff?",
        "triton/usage/quotas.rst",
        ("triton/ref/quotas.rst", "triton/usage/faq.rst"),
    ),
    (
        "rsync to my work dir fails with 'Disk quota exceeded' but the quota command shows "
        "I'm using a small fraction of it",
        "triton/usage/faq.rst",
        ("triton/usage/quotas.rst", "aalto/linux.rst"),
    ),
    (
        "My training reads millions of small jpgs and is super slow. Someone said I should "
        "copy them to the node's own disk first - how do I do that and ask for the space?",
        "triton/usage/localstorage.rst",
        ("triton/usage/smallfiles.rst", "triton/usage/lustre.rst", "triton/tut/gpu.rst"),
    ),
    (
        "what happens to the files my job writes to /tmp, will they still be there tomorrow?",
        "triton/usage/localstorage.rst",
        ("triton/tut/storage.rst", "triton/ref/storage.rst"),
    ),
    (
        "We have a dataset of around 3 million tiny text files and admins emailed that it's a"
        " problem for the filesystem. What are we supposed to do instead?",
        "triton/usage/smallfiles.rst",
        ("triton/usage/lustre.rst", "triton/usage/localstorage.rst"),
    ),
    (
        "triton is really slow today, even ls hangs in my scratch folder. is everything down?",
        "triton/usage/lustre.rst",
        ("triton/usage/mainenance-downtime.rst", "triton/usage/faq.rst"),
    ),
    (
        "The admins say my jobs put a heavy load on the file system and want me to think "
        "about it. How can I look at how much data my past jobs read and wrote?",
        "triton/usage/storage.rst",
        ("triton/usage/profiling.rst",),
    ),
    (
        "Can I browse my cluster files in Finder on my Mac like any other folder, instead of "
        "copying them back and forth?",
        "triton/tut/remotedata.rst",
        ("triton/ref/remotedata.rst", "triton/usage/faq.rst", "aalto/mac.rst"),
    ),
    (
        "What's the best way to copy a 200GB results directory from the cluster to my laptop?"
        " scp keeps dying halfway through.",
        "triton/tut/remotedata.rst",
        ("triton/ref/remotedata.rst", "triton/quickstart/data.rst", "triton/usage/faq.rst"),
    ),
    (
        "my work directory is not visible anymore on the department workstation, permission "
        "denied on /m/cs/scratch. It was fine last week.",
        "triton/tut/remotedata.rst",
        ("triton/usage/faq.rst", "aalto/linux.rst", "aalto/remoteaccess.rst"),
    ),
    (
        "Can I download a dataset straight onto the cluster from a website instead of via my "
        "laptop? It needs a username and password.",
        "triton/quickstart/data.rst",
        ("triton/tut/remotedata.rst",),
    ),
    (
        "My job crashes with 'No space left on device' when it writes its temporary files on "
        "the node. I asked for --tmp=50G, isn't that space mine?",
        "triton/usage/localstorage.rst",
        (),
    ),
    # --- software -----------------------------------------------------------------------------
    (
        "python3 on the cluster is 3.9 and my code needs something newer. How do I switch to "
        "another version?",
        "triton/tut/modules.rst",
        ("triton/apps/python.rst",),
    ),
    (
        "Lmod has detected the following error: These module(s) or extension(s) exist but "
        "cannot be loaded as requested. what does that even mean",
        "triton/tut/modules.rst",
        ("triton/ref/modules.rst",),
    ),
    (
        "My script worked last month and now it breaks, and I didn't change anything. I just "
        "do module load scicomp-python-env at the top.",
        "triton/tut/modules.rst",
        ("triton/apps/python.rst",),
    ),
    (
        "I need a niche bioinformatics tool that isn't there. Can you install it for me, or "
        "can I install it myself? I don't have sudo.",
        "triton/tut/applications.rst",
        ("triton/apps/index.rst", "triton/usage/singularity.rst"),
    ),
    (
        "How do I make my own python enviroment with exact package versions? pip install "
        "--user keeps breaking other things.",
        "triton/apps/conda.rst",
        ("triton/apps/python.rst", "triton/ref/conda.rst", "triton/deprecated/python-conda.rst"),
    ),
    (
        "Creating a conda environment fails halfway with a quota error in my home. I only "
        "have a few packages!",
        "triton/apps/conda.rst",
        ("triton/ref/conda.rst", "triton/deprecated/python-conda.rst", "triton/usage/quotas.rst"),
    ),
    (
        "I messed up conda completely, I ran conda init like a tutorial said and now every "
        "login is weird and environments are broken. How do I start over from zero?",
        "triton/apps/importantnotes/resetconda.rst",
        (
            "triton/apps/conda.rst",
            "triton/ref/condaactivate.rst",
            "triton/deprecated/python-conda.rst",
        ),
    ),
    (
        "Which python should I use on triton - anaconda, the preinstalled module or a "
        "virtualenv? I only need numpy, pandas and matplotlib.",
        "triton/apps/python.rst",
        ("triton/apps/conda.rst", "triton/tut/modules.rst"),
    ),
    (
        "The software I need only ships as a Docker image and docker isn't available on the "
        "cluster. Is there any way to run it?",
        "triton/usage/singularity.rst",
        ("triton/tut/applications.rst",),
    ),
    (
        "My C program crashes with a segmentation fault, but only on the cluster. What can I "
        "use there to step through it and see where it dies?",
        "triton/usage/debugging.rst",
        (),
    ),
    (
        "I'd like to find out which functions of my code take most of the runtime, what tools"
        " are there?",
        "triton/usage/profiling.rst",
        (),
    ),
    (
        "Who do I ask to get a newer version of some library put on the cluster? Is there a "
        "form, or do I just email someone?",
        "triton/tut/applications.rst",
        ("triton/help.rst", "help/index.rst"),
    ),
    (
        "Before I ask you to install something: how do I check whether a program is already "
        "available on Triton?",
        "triton/apps/index.rst",
        ("triton/tut/applications.rst", "triton/tut/modules.rst", "triton/ref/software.rst"),
    ),
    (
        "A collaborator sent me a container recipe for their tool. How do I turn it into "
        "something that runs on the cluster?",
        "triton/usage/singularity.rst",
        (),
    ),
    # --- Jupyter on Triton --------------------------------------------------------------------
    (
        "I want to use notebooks on the cluster with the packages from my own conda env, but "
        "I can't select that env anywhere in the notebook, it always runs the default python",
        "triton/apps/jupyter.rst",
        (),
    ),
    (
        "My notebook session in the web interface just died without any message while I was "
        "loading a big dataframe. What happened?",
        "triton/apps/jupyter.rst",
        ("triton/usage/ood.rst",),
    ),
    (
        "I have a notebook that works, but now I need to run it for 50 different parameter "
        "settings and it takes hours each. How do I turn it into something for the queue?",
        "triton/apps/jupyter.rst",
        ("triton/apps/jupyter-gpu.rst", "triton/tut/array.rst"),
    ),
    (
        "Can I get a GPU in the browser notebooks for quick experiments before I write a "
        "proper batch script?",
        "triton/apps/jupyter-gpu.rst",
        ("triton/apps/jupyter.rst",),
    ),
    # --- editors and AI tools -----------------------------------------------------------------
    (
        "I use VS Code remote ssh and it eats lots of CPU on the login node, and yesterday I "
        "couldn't log in at all anymore. What am I doing wrong?",
        "triton/apps/vscode.rst",
        ("triton/tut/connecting.rst", "triton/usage/ai-agents.rst"),
    ),
    (
        "Is it ok to run Claude Code or Codex on the cluster? Anything I should be careful "
        "about with my data?",
        "triton/usage/ai-agents.rst",
        ("triton/apps/vscode.rst", "aalto/generative-ai-tools.rst"),
    ),
    (
        "I'd like to use the spyder IDE on triton but with my own environment's packages "
        "instead of the default ones",
        "triton/apps/spyder.rst",
        (),
    ),
    # --- specific applications ----------------------------------------------------------------
    (
        "my matlab batch job never finishes - the function is done after 10 minutes but the "
        "job just sits there until the time limit",
        "triton/apps/matlab.rst",
        (),
    ),
    (
        "My home quota is full and it turns out a hidden .matlab folder is several GB. Can I "
        "move it somewhere?",
        "triton/apps/importantnotes/matlab.rst",
        ("triton/apps/matlab.rst",),
    ),
    (
        "Can I install Matlab on my own home computer with the university licence?",
        "aalto/matlab_standalone.rst",
        (),
    ),
    (
        "R wants to put every library I install in my home folder and now I'm over quota. How"
        " do I keep them somewhere bigger?",
        "triton/apps/r.rst",
        ("triton/apps/importantnotes/r.rst",),
    ),
    (
        "The COMSOL interface is painfully slow over ssh -X and it also fills my home with "
        "recovery files. What's the recommended way to work with it?",
        "triton/apps/comsol.rst",
        (),
    ),
    (
        "gurobipy says it can't find a license when I run my optimisation model on the "
        "cluster. Does Aalto have one?",
        "triton/apps/gurobi.rst",
        (),
    ),
    (
        "mathematica asks me to activate it the first time I start it on triton, what do I enter?",
        "triton/apps/mathematica.rst",
        (),
    ),
    (
        "I have about 20 hours of recorded conversations in Finnish for my thesis and need "
        "them as text. Is there something at Aalto that does this and is ok for personal "
        "data? I'm not a programmer, I've never used the cluster, and I'd rather not upload "
        "the recordings to some random website.",
        "triton/apps/speech2text.rst",
        ("triton/apps/whisper.rst", "aalto/generative-ai-tools.rst"),
    ),
    (
        "I picked English by mistake but the recordings are in Swedish. Do I have to upload "
        "everything again?",
        "triton/apps/speech2text.rst",
        (),
    ),
    (
        "I'd like to run whisper myself from the command line and also get who is speaking "
        "when (two people in each recording).",
        "triton/apps/whisper.rst",
        ("triton/apps/speech2text.rst",),
    ),
    (
        "I want to try one of the open Mistral or Llama chat models on a GPU node for my "
        "research. Do I need to fetch the multi-GB weights into my own folder first?",
        "triton/apps/llms.rst",
        ("triton/discipline/machinelearning.rst",),
    ),
    (
        "Can my python script send prompts to a language model that Aalto hosts itself? The "
        "data is confidential so I can't use OpenAI's service.",
        "aalto/llm-web-apis.rst",
        ("aalto/generative-ai-tools.rst",),
    ),
    (
        "which AI chat tools am I allowed to use with my research data? chatgpt, copilot, "
        "something from aalto? I'm confused",
        "aalto/generative-ai-tools.rst",
        ("aalto/llm-web-apis.rst",),
    ),
    # --- teaching JupyterHub ------------------------------------------------------------------
    (
        "I'm a student and when I open my course's notebooks I don't see the assignments "
        "anywhere, just an empty folder",
        "aalto/jupyterhub.rst",
        ("aalto/jupyterhub/nbgrader-jupyterlab.rst",),
    ),
    (
        "The course notebook website says I'm over quota. How much space do I get there and "
        "when do my old files get removed?",
        "aalto/jupyterhub.rst",
        ("aalto/jupyterhub/privacy-notice.rst",),
    ),
    (
        "Can I open my course notebooks from my own laptop as a network folder instead of "
        "downloading each file one by one?",
        "aalto/jupyterhub-data.rst",
        ("aalto/jupyterhub.rst",),
    ),
    (
        "how do i hand in my homework notebook for grading? I finished the exercise but "
        "there's no submit button in the file",
        "aalto/jupyterhub/nbgrader-jupyterlab.rst",
        ("aalto/jupyterhub.rst",),
    ),
    (
        "I'm teaching an intro Python course next autumn and want students to get and return "
        "their exercises through the web notebooks, graded automatically if possible. Who do "
        "I contact and what do you need to know from me?",
        "aalto/jupyterhub-instructors/request-course.rst",
        ("aalto/jupyterhub-instructors/index.rst", "aalto/jupyterhub-instructors/overview.rst"),
    ),
    (
        "need to get the autograded points into MyCourses at the end of term, but the import "
        "fails because of a few students who aren't enrolled",
        "aalto/jupyterhub-instructors/exporting-grades.rst",
        (),
    ),
    (
        "I released an exercise with a bug and some students already downloaded it. How do I "
        "push out a fixed version without losing their work?",
        "aalto/jupyterhub-instructors/faq-hints.rst",
        ("aalto/jupyterhub-instructors/nbgrader-hints.rst",),
    ),
    (
        "Students get permission denied on the data files I uploaded for my course, I can see"
        " them fine myself",
        "aalto/jupyterhub-instructors/course-data.rst",
        (),
    ),
    (
        "i accidentally deleted my homework notebook on the course jupyter site. Is there any "
        "way to get yesterday's version back?",
        "aalto/jupyterhub.rst",
        (),
    ),
    # --- students, workstations, other Aalto services -----------------------------------------
    (
        "Is there a room on campus with Linux machines that students can use for course work, "
        "and can I log into those machines from home when the building is closed?",
        "aalto/paniikki.rst",
        ("aalto/welcomestudents.rst",),
    ),
    (
        "I'm a bachelor student and my course project needs more compute than my laptop has. "
        "What can I use as a student?",
        "aalto/welcomestudents.rst",
        ("aalto/paniikki.rst", "aalto/jupyterhub.rst"),
    ),
    (
        "I just started as a doctoral researcher. What IT and computing stuff should I know "
        "about? Kind of overwhelmed.",
        "aalto/welcomeresearchers.rst",
        ("help/index.rst",),
    ),
    (
        "We got a Findata permit for health register data. Where can we analyse it securely, "
        "and can we use GPUs there?",
        "aalto/secdata.rst",
        (),
    ),
    (
        "my version.aalto.fi account got blocked right after I switched from a student to an "
        "employee contract",
        "aalto/git.rst",
        ("triton/help.rst",),
    ),
    (
        "How do I give a collaborator from another university access to our private repo on "
        "the Aalto gitlab?",
        "aalto/git.rst",
        (),
    ),
    (
        "After I changed my Aalto password my Ubuntu desktop keeps asking for the old one to "
        "unlock something called the keyring",
        "aalto/linux.rst",
        (),
    ),
    (
        "I want to install a package with apt on my Aalto Linux workstation, but sudo says "
        "I'm not allowed.",
        "aalto/linux.rst",
        ("aalto/cslinux.rst",),
    ),
    (
        "How do I install homebrew on my university MacBook? I don't have admin rights.",
        "aalto/mac.rst",
        (),
    ),
    (
        "If my work MacBook dies, is there a copy of it somewhere? I'm in the CS department.",
        "aalto/mac.rst",
        (),
    ),
    (
        "How do I get permission to install software myself on my work Windows laptop? The "
        "thing I need isn't in the list of ready-made installs.",
        "aalto/windows.rst",
        (),
    ),
    (
        "We build our own lab rigs and need full root on the lab PC; the standard university "
        "Linux image won't let us do anything. Is there an alternative for CS researchers?",
        "aalto/cslinux.rst",
        ("aalto/linux.rst",),
    ),
    (
        "Can I just publish the code from my PhD on GitHub, or does the university own it? My"
        " funding is from an Academy of Finland project and I'd like to use a permissive "
        "license so that other groups can build on it.",
        "aalto/opensource.rst",
        ("aalto/opensource-policy.rst",),
    ),
    (
        "does aalto pay for overleaf? how do i get the premium features on my account",
        "aalto/overleaf.rst",
        (),
    ),
    (
        "Our course chat has thousands of messages and I can't follow anything. How do people"
        " keep conversations organised in there?",
        "aalto/zulip.rst",
        ("aalto/zulip/instructors.rst",),
    ),
    (
        "Where can our group store its container images privately at Aalto instead of Docker Hub?",
        "aalto/aaltoharbor.rst",
        (),
    ),
    (
        "I'd like to start a notebook on one of the shared Aalto linux servers and use it "
        "from the browser on my laptop",
        "aalto/remotejupyter.rst",
        (),
    ),
    (
        "I'm moving abroad for a semester but all my analysis lives on the office PC and the "
        "department drives. What are my options to keep working on it remotely?",
        "triton/usage/workflows.rst",
        ("aalto/remoteaccess.rst", "triton/tut/remotedata.rst"),
    ),
    (
        "conda on my Aalto Ubuntu desktop says NotWritableError: The current user does not "
        "have write permissions to a required path, when I try to make an environment",
        "aalto/python.rst",
        (),
    ),
    # --- help, outages, vague -----------------------------------------------------------------
    (
        "My job failed. What should I send you so you can actually help?",
        "triton/help.rst",
        ("help/index.rst",),
    ),
    (
        "Is there somewhere I can just talk to a person live about my problem? Email back and"
        " forth is too slow.",
        "help/garage.rst",
        ("help/index.rst", "triton/help.rst"),
    ),
    (
        "I don't even know what to ask. I'm new, have a pile of data and a vague plan.",
        "help/index.rst",
        ("help/garage.rst", "triton/help.rst", "aalto/welcomeresearchers.rst"),
    ),
    (
        "I can't log in at all today and the web portal is off too. Is the cluster down? I "
        "have a deadline on Friday and my jobs were running.",
        "triton/usage/mainenance-downtime.rst",
        ("triton/usage/lustre.rst", "triton/help.rst"),
    ),
    (
        "Could one of your people drop by our lab's Monday session and hear what we struggle "
        "with? We lose a lot of time on software problems.",
        "help/group-meetings.rst",
        ("help/community.rst",),
    ),
    (
        "totally new to clusters. is there a course or some step by step material I can "
        "follow before I start bothering you with questions?",
        "triton/tut/about-tutorials.rst",
        (
            "triton/index.rst",
            "triton/tut/intro.rst",
            "triton/quickstart/index.rst",
            "triton/help.rst",
        ),
    ),
    (
        "I think something on the cluster is broken for several people, a module fails for "
        "everyone in my group. Where do I report it so that others can see it too?",
        "triton/help.rst",
        ("help/index.rst",),
    ),
    (
        "Can I share my screen with one of you and go through my code together? It's easier "
        "than writing it all down.",
        "help/garage.rst",
        ("help/index.rst",),
    ),
]
