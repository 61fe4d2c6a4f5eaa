<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClipDialog</name>
    <message>
        <source>Record clip</source>
        <translation>录制视频</translation>
    </message>
    <message>
        <source>A clip is being recorded already.</source>
        <translation>已有一段视频正在录制。</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>file (.mp4 or .gif)</source>
        <translation>文件（.mp4 或 .gif）</translation>
    </message>
    <message>
        <source>from step</source>
        <translation>起始步</translation>
    </message>
    <message>
        <source>to step</source>
        <translation>结束步</translation>
    </message>
    <message>
        <source>frame rate</source>
        <translation>帧率</translation>
    </message>
    <message>
        <source>size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>presentation style (large type, thick lines, legend)</source>
        <translation>演示样式（大字号、粗线条、图例）</translation>
    </message>
    <message>
        <source>style</source>
        <translation>样式</translation>
    </message>
    <message>
        <source>live pace (speed ÷ frame rate)</source>
        <translation>实时节奏（速度 ÷ 帧率）</translation>
    </message>
    <message>
        <source>steps a frame</source>
        <translation>每帧步数</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>%1 × %2 (the window)</source>
        <translation>%1 × %2（窗口大小）</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4);;Animated GIF (*.gif)</source>
        <translation>MP4 视频 (*.mp4);;GIF 动图 (*.gif)</translation>
    </message>
    <message>
        <source>%1 exists. Replace it?</source>
        <translation>%1 已存在。要替换它吗？</translation>
    </message>
</context>
<context>
    <name>ClipRecorder</name>
    <message>
        <source>%1: the clip was not finished (%2 of %3 frames)</source>
        <translation>%1：视频未录完（%2/%3 帧）</translation>
    </message>
</context>
<context>
    <name>ClipResult</name>
    <message>
        <source>the hyperparameter map</source>
        <translation>超参数图</translation>
    </message>
    <message>
        <source>the map&apos;s field or basins</source>
        <translation>地图的等高线或吸引域</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>still computing when the clip began, so shown as it was throughout: %1</source>
        <translation>录制开始时仍在计算，整段视频中保持开始时的样子：%1</translation>
    </message>
</context>
<context>
    <name>ClipSession</name>
    <message>
        <source>There is no race to record: add a run first.</source>
        <translation>没有可录制的比赛：请先添加一个运行。</translation>
    </message>
    <message>
        <source>The engine is still being prepared (first launch only): try again in a few seconds.</source>
        <translation>引擎仍在准备中（仅首次启动）：请几秒后再试。</translation>
    </message>
    <message>
        <source>Recording %1…</source>
        <translation>正在录制 %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Record clip</source>
        <translation>录制视频</translation>
    </message>
    <message>
        <source>Preparing %1…</source>
        <translation>正在准备 %1…</translation>
    </message>
    <message>
        <source>Recording %1: %2 frames, %3 s at %4 fps</source>
        <translation>正在录制 %1：%2 帧，%3 秒，%4 fps</translation>
    </message>
    <message>
        <source>the clip stopped: %1</source>
        <translation>视频录制中断：%1</translation>
    </message>
    <message>
        <source> — %1</source>
        <translation> —— %1</translation>
    </message>
    <message>
        <source>Saved %1 (%2 frames, %3 s) in %4 s</source>
        <translation>已保存 %1（%2 帧，%3 秒），用时 %4 秒</translation>
    </message>
    <message>
        <source>Clip cancelled: nothing was written</source>
        <translation>已取消录制：未写入任何文件</translation>
    </message>
    <message>
        <source>Cannot record the clip</source>
        <translation>无法录制视频</translation>
    </message>
</context>
<context>
    <name>ClipSpec</name>
    <message>
        <source>steps per frame must be positive, got %1</source>
        <translation>每帧步数必须为正数，当前为 %1</translation>
    </message>
    <message>
        <source>steps per frame must be a positive number, got %1</source>
        <translation>每帧步数必须为正数，当前为 %1</translation>
    </message>
    <message>
        <source>the clip would have %1 frames (at most %2): fewer steps, or more steps per frame than %3</source>
        <translation>视频将有 %1 帧（最多 %2 帧）：请减少步数，或让每帧步数多于 %3</translation>
    </message>
    <message>
        <source>the first step must be a whole number ≥ 0, got %1</source>
        <translation>起始步必须是 ≥ 0 的整数，当前为 %1</translation>
    </message>
    <message>
        <source>the last step must be after the first (%1), got %2</source>
        <translation>结束步必须在起始步（%1）之后，当前为 %2</translation>
    </message>
    <message>
        <source>frame rate %1 out of range (1 to %2 frames per second)</source>
        <translation>帧率 %1 超出范围（每秒 1 到 %2 帧）</translation>
    </message>
    <message>
        <source>%1 frames, %2 s at %3 fps: steps %4 to %5, %6 steps a frame (%7 steps/s)</source>
        <translation>%1 帧，%2 秒，%3 fps：第 %4 步到第 %5 步，每帧 %6 步（每秒 %7 步）</translation>
    </message>
</context>
<context>
    <name>ClipStage</name>
    <message>
        <source>clip</source>
        <translation>录制</translation>
    </message>
</context>
<context>
    <name>ClipWriter</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>%1: a clip is a .mp4 or a .gif file, not %2</source>
        <translation>%1：视频须为 .mp4 或 .gif 文件，而不是 %2</translation>
    </message>
    <message>
        <source>no suffix</source>
        <translation>无扩展名</translation>
    </message>
    <message>
        <source>%1: H.264 needs an even width and height, got %2x%3</source>
        <translation>%1：H.264 要求宽和高都是偶数，当前为 %2x%3</translation>
    </message>
    <message>
        <source>%1: a GIF plays at most %2 frames per second, got %3</source>
        <translation>%1：GIF 每秒最多播放 %2 帧，当前为 %3</translation>
    </message>
    <message>
        <source>cannot write %1: the folder %2 does not exist</source>
        <translation>无法写入 %1：文件夹 %2 不存在</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>expected WIDTHxHEIGHT like 1280x800, got %1</source>
        <translation>应为“宽x高”，如 1280x800，实际为 %1</translation>
    </message>
    <message>
        <source>size %1 out of range (200–8000 pixels a side)</source>
        <translation>尺寸 %1 超出范围（每边 200–8000 像素）</translation>
    </message>
    <message>
        <source>expected a whole number of steps, got %1</source>
        <translation>步数应为整数，实际为 %1</translation>
    </message>
    <message>
        <source>steps %1 out of range (0 to 100,000,000)</source>
        <translation>步数 %1 超出范围（0 到 100,000,000）</translation>
    </message>
    <message>
        <source>Watch gradient-descent optimizers race, live.</source>
        <translation>实时观看梯度下降优化器比赛。</translation>
    </message>
    <message>
        <source>start with a preset scene</source>
        <translation>以一个预设场景启动</translation>
    </message>
    <message>
        <source>start with a scene file (.toml)</source>
        <translation>以一个场景文件（.toml）启动</translation>
    </message>
    <message>
        <source>run the scene without a window and save a picture of it (.png, or .svg: vector paths and text), then exit</source>
        <translation>不打开窗口运行场景，保存一张图片（.png，或 .svg：矢量路径和文字），然后退出</translation>
    </message>
    <message>
        <source>run the scene without a window and write every run&apos;s recorded steps to CSV (and the scene beside it, .toml), then exit</source>
        <translation>不打开窗口运行场景，把每个运行记录的各步写入 CSV（场景文件 .toml 存在旁边），然后退出</translation>
    </message>
    <message>
        <source>write the scene as a standalone PyTorch script (its problem, every run&apos;s torch.optim optimizer and lr scheduler; --steps is its default), then exit</source>
        <translation>把场景写成独立的 PyTorch 脚本（其问题、每个运行的 torch.optim 优化器和学习率调度器；--steps 为其默认步数），然后退出</translation>
    </message>
    <message>
        <source>write the scene as a Jupyter notebook: the PyTorch script&apos;s code in cells, with the problem, each optimizer&apos;s update rule, the leaderboard and a plot between them (--steps is its STEPS), then exit</source>
        <translation>把场景写成 Jupyter 笔记本：PyTorch 脚本的代码分在各单元格中，其间穿插问题、每个优化器的更新规则、排行榜和图（--steps 即其中的步数 STEPS），然后退出</translation>
    </message>
    <message>
        <source>steps to run before --snapshot / --export-data, the last step of --record (default 300, or the scene&apos;s &quot;stop at step&quot; if sooner)</source>
        <translation>--snapshot / --export-data 之前运行的步数，也是 --record 的结束步（默认 300；场景的“停在第几步”更早时取它）</translation>
    </message>
    <message>
        <source>window size for --snapshot and --record (default 1280x800)</source>
        <translation>--snapshot 和 --record 的窗口尺寸（默认 1280x800）</translation>
    </message>
    <message>
        <source>show the basin map of the selected run (View → Basins, key B)</source>
        <translation>显示所选运行的吸引域图（视图 → 吸引域，按键 B）</translation>
    </message>
    <message>
        <source>full screen, large type, colour-blind-safe colours</source>
        <translation>全屏、大字号、色盲友好的配色</translation>
    </message>
    <message>
        <source>show the step explained (the overlay of key E) for the selected run</source>
        <translation>为所选运行显示单步解析（按键 E 的叠加层）</translation>
    </message>
    <message>
        <source>start in the map or in the 3-D view (View → 3-D view, key 3; needs OpenGL)</source>
        <translation>以地图或三维视图启动（视图 → 三维视图，按键 3；需要 OpenGL）</translation>
    </message>
    <message>
        <source>the language of the window, pictures, clips and messages (default: the one chosen last in View → Language, else the system&apos;s)</source>
        <translation>窗口、图片、视频和消息的语言（默认：上次在 视图 → 语言 中选择的语言，否则为系统语言）</translation>
    </message>
    <message>
        <source>show the version number and exit</source>
        <translation>显示版本号并退出</translation>
    </message>
    <message>
        <source>step %1 shows the 3-D view, which needs a display with OpenGL; drawing the map</source>
        <translation>第 %1 步显示三维视图，需要带 OpenGL 的显示器；改为绘制地图</translation>
    </message>
    <message>
        <source>%1 and %2: one at a time</source>
        <translation>%1 和 %2：一次只能用一个</translation>
    </message>
    <message>
        <source>%1: the snapshot must be a .png or .svg file</source>
        <translation>%1：快照必须是 .png 或 .svg 文件</translation>
    </message>
    <message>
        <source>%1; showing the map</source>
        <translation>%1；改为显示地图</translation>
    </message>
    <message>
        <source>expected frames per second like 30, got %1</source>
        <translation>应为每秒帧数，如 30，实际为 %1</translation>
    </message>
    <message>
        <source>frame rate %1 out of range (1 to %2)</source>
        <translation>帧率 %1 超出范围（1 到 %2）</translation>
    </message>
    <message>
        <source>expected a number of steps per frame, got %1</source>
        <translation>应为每帧步数，实际为 %1</translation>
    </message>
    <message>
        <source>record the race as a clip (.mp4 or .gif) without a window, then exit: from step --from to step --steps, at --fps and --size</source>
        <translation>不打开窗口把比赛录制成视频（.mp4 或 .gif），然后退出：从第 --from 步到第 --steps 步，帧率 --fps，尺寸 --size</translation>
    </message>
    <message>
        <source>the clip&apos;s first step (default 0)</source>
        <translation>视频的起始步（默认 0）</translation>
    </message>
    <message>
        <source>the clip&apos;s frame rate (default 30)</source>
        <translation>视频的帧率（默认 30）</translation>
    </message>
    <message>
        <source>steps one frame advances (default: the scene&apos;s speed ÷ fps, the live pace)</source>
        <translation>每帧前进的步数（默认：场景速度 ÷ fps，即实时节奏）</translation>
    </message>
    <message>
        <source>recording %1: %2, %3x%4</source>
        <translation>正在录制 %1：%2，%3x%4</translation>
    </message>
    <message>
        <source>  frame %1 of %2 (step %3)</source>
        <translation>  第 %1/%2 帧（第 %3 步）</translation>
    </message>
    <message>
        <source>wrote %1: %2 frames, %3 s, in %4 s (drawing %5 s, encoding %6 s alongside)</source>
        <translation>已写入 %1：%2 帧，%3 秒，用时 %4 秒（绘制 %5 秒，同时编码 %6 秒）</translation>
    </message>
    <message>
        <source>  note: %1</source>
        <translation>  注意：%1</translation>
    </message>
    <message>
        <source>expected a step number like 3, got %1</source>
        <translation>应为步的编号，例如 3，得到的是 %1</translation>
    </message>
    <message>
        <source>steps are numbered from 1, got %1</source>
        <translation>步从 1 开始编号，得到的是 %1</translation>
    </message>
    <message>
        <source>a lesson: a built-in one&apos;s name (from-sgd-to-adam) or a lesson file (.toml): the window plays it; with --snapshot or --record, draws one of its steps</source>
        <translation>一节课程：内置课程的名称（from-sgd-to-adam）或课程文件（.toml）：窗口播放这节课程；与 --snapshot 或 --record 一起使用时，绘制其中的一步</translation>
    </message>
    <message>
        <source>the lesson&apos;s step to open or draw, from 1 (default 1): its scene at its play point, its caption on the map</source>
        <translation>要打开或绘制的课程步骤，从 1 开始（默认 1）：该步的场景跑到它的播放点，说明文字画在地图上</translation>
    </message>
    <message>
        <source>--lesson-step %1: “%2” has %3 steps (1 to %3)</source>
        <translation>--lesson-step %1：“%2”共有 %3 步（1 到 %3）</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>%1 (copy)</source>
        <translation>%1（副本）</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>%1: cannot write there</source>
        <translation>%1：无法写入该位置</translation>
    </message>
    <message>
        <source>%1: %2 must be a %3 file</source>
        <translation>%1：%2必须是 %3 文件</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>%1: is a folder</source>
        <translation>%1：这是一个文件夹</translation>
    </message>
    <message>
        <source>the data file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <source>%1: is a folder (the scene is written there)</source>
        <translation>%1：这是一个文件夹（场景文件要写在那里）</translation>
    </message>
    <message>
        <source>there is no race to export yet</source>
        <translation>还没有可导出的比赛</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Cannot export the figure</source>
        <translation>无法导出图片</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Cannot export the data</source>
        <translation>无法导出数据</translation>
    </message>
    <message>
        <source>Saved %1 and %2</source>
        <translation>已保存 %1 和 %2</translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export figure</source>
        <translation>导出图片</translation>
    </message>
    <message>
        <source>Export data (CSV, and the scene beside it)</source>
        <translation>导出数据（CSV，场景文件存在旁边）</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot export as notebook</source>
        <translation>无法导出为笔记本</translation>
    </message>
    <message>
        <source>Cannot export as PyTorch script</source>
        <translation>无法导出为 PyTorch 脚本</translation>
    </message>
    <message>
        <source>Saved %1: open it with jupyter lab %2</source>
        <translation>已保存 %1：用 jupyter lab %2 打开</translation>
    </message>
    <message>
        <source>Saved %1: run it with python %2</source>
        <translation>已保存 %1：用 python %2 运行</translation>
    </message>
    <message>
        <source>Export as PyTorch script</source>
        <translation>导出为 PyTorch 脚本</translation>
    </message>
    <message>
        <source>Python scripts (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Export as notebook</source>
        <translation>导出为笔记本</translation>
    </message>
    <message>
        <source>Jupyter notebooks (*.ipynb)</source>
        <translation>Jupyter 笔记本 (*.ipynb)</translation>
    </message>
    <message>
        <source>%1: a figure is a .png or .svg file</source>
        <translation>%1：图片须为 .png 或 .svg 文件</translation>
    </message>
    <message>
        <source>a %1×%2 picture is too large (at most %3 pixels a side)</source>
        <translation>%1×%2 的图片太大（每边最多 %3 像素）</translation>
    </message>
    <message>
        <source>not enough memory for a %1×%2 picture</source>
        <translation>内存不足，无法生成 %1×%2 的图片</translation>
    </message>
    <message>
        <source>could not encode the picture as %1</source>
        <translation>无法把图片编码为 %1</translation>
    </message>
    <message>
        <source>scale %1 out of range (0.1 to 16)</source>
        <translation>缩放比例 %1 超出范围（0.1 到 16）</translation>
    </message>
    <message>
        <source>%1: a picture of the 3-D view is a .png file</source>
        <translation>%1：三维视图的图片须为 .png 文件</translation>
    </message>
    <message>
        <source>the PyTorch script</source>
        <translation>PyTorch 脚本</translation>
    </message>
    <message>
        <source>the notebook</source>
        <translation>笔记本</translation>
    </message>
</context>
<context>
    <name>FigureDialog</name>
    <message>
        <source>width in pixels</source>
        <translation>指定宽度（像素）</translation>
    </message>
    <message>
        <source>Export figure</source>
        <translation>导出图片</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source> px wide</source>
        <translation> 像素宽</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>PNG (picture)</source>
        <translation>PNG（位图）</translation>
    </message>
    <message>
        <source>SVG (vector: paths and text)</source>
        <translation>SVG（矢量：路径和文字）</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 像素</translation>
    </message>
    <message>
        <source>%1 × %2 (scales without loss)</source>
        <translation>%1 × %2（缩放时不损失画质）</translation>
    </message>
</context>
<context>
    <name>FigureRequest</name>
    <message>
        <source>the map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>the loss curves</source>
        <translation>损失曲线</translation>
    </message>
    <message>
        <source>the whole window</source>
        <translation>整个窗口</translation>
    </message>
</context>
<context>
    <name>HyperControl</name>
    <message>
        <source>type a number</source>
        <translation>请输入数字</translation>
    </message>
    <message>
        <source>%1 is not a number</source>
        <translation>%1 不是数字</translation>
    </message>
    <message>
        <source>True or False</source>
        <translation>是或否</translation>
    </message>
    <message>
        <source>%1: %2
allowed: %3</source>
        <translation>%1：%2
允许范围：%3</translation>
    </message>
    <message>
        <source>%1: %2; kept %3</source>
        <translation>%1：%2；保留 %3</translation>
    </message>
    <message>
        <source>%1; kept %2</source>
        <translation>%1；保留 %2</translation>
    </message>
</context>
<context>
    <name>LessonAsk</name>
    <message>
        <source>→ or Page Down: the race shows the answer</source>
        <translation>→ 或 Page Down：让比赛揭晓答案</translation>
    </message>
    <message>
        <source>✓ %1</source>
        <translation>✓ %1</translation>
    </message>
</context>
<context>
    <name>LessonAuthoring</name>
    <message>
        <source>explain the step</source>
        <translation>解释这一步</translation>
    </message>
    <message>
        <source>basins</source>
        <translation>吸引域</translation>
    </message>
    <message>
        <source>3-D view</source>
        <translation>三维视图</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>timeline</source>
        <translation>时间轴</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>loss curves</source>
        <translation>损失曲线</translation>
    </message>
    <message>
        <source>hyperparameter map</source>
        <translation>超参数图</translation>
    </message>
    <message>
        <source>leaderboard</source>
        <translation>排行榜</translation>
    </message>
    <message>
        <source>equations</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <source>Step %1 added to the lesson (Lessons → Lesson steps…)</source>
        <translation>第 %1 步已加入课程（课程 → 课程步骤…）</translation>
    </message>
    <message>
        <source>Unsaved lesson</source>
        <translation>课程未保存</translation>
    </message>
    <message>
        <source>The lesson being written (%1 steps) is not saved. Save it?</source>
        <translation>正在编写的课程（%1 步）还没有保存。要保存吗？</translation>
    </message>
    <message>
        <source>Save lesson</source>
        <translation>保存课程</translation>
    </message>
    <message>
        <source>Lessons (*.toml)</source>
        <translation>课程 (*.toml)</translation>
    </message>
    <message>
        <source>Cannot save the lesson</source>
        <translation>无法保存课程</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Lesson step</source>
        <translation>课程的一步</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Chinese (简体中文)</source>
        <translation>中文（简体中文）</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Caption on the map</source>
        <translation>地图上的字幕</translation>
    </message>
    <message>
        <source>Presenter notes</source>
        <translation>讲者备注</translation>
    </message>
    <message>
        <source>Question (optional)</source>
        <translation>提问（可选）</translation>
    </message>
    <message>
        <source>0 (wait for Space)</source>
        <translation>0（等待空格键）</translation>
    </message>
    <message>
        <source>&quot;step:200&quot;, &quot;reached:Adam&quot; or &quot;loss:Adam&lt;0.01&quot;</source>
        <translation>&quot;step:200&quot;（第 200 步）、&quot;reached:Adam&quot;（Adam 到达最小值）或 &quot;loss:Adam&lt;0.01&quot;（Adam 的损失低于 0.01）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止条件</translation>
    </message>
    <message>
        <source>GD, Adam, RMSprop (separated by commas)</source>
        <translation>GD, Adam, RMSprop（用逗号分隔）</translation>
    </message>
    <message>
        <source>Choices</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Play to step</source>
        <translation>运行到第几步</translation>
    </message>
    <message>
        <source>Hidden panels</source>
        <translation>隐藏的面板</translation>
    </message>
    <message>
        <source>Locked panels</source>
        <translation>锁定的面板</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>(no answer)</source>
        <translation>（没有答案）</translation>
    </message>
    <message>
        <source>until: no run named %1 in this scene</source>
        <translation>until：这个场景里没有名为 %1 的运行</translation>
    </message>
    <message>
        <source>at most %1 choices</source>
        <translation>最多 %1 个选项</translation>
    </message>
    <message>
        <source>the choices must differ</source>
        <translation>选项不能重复</translation>
    </message>
    <message>
        <source>choices need a question</source>
        <translation>有选项就要有提问</translation>
    </message>
    <message>
        <source>Lesson steps</source>
        <translation>课程步骤</translation>
    </message>
    <message>
        <source>Lesson title</source>
        <translation>课程标题</translation>
    </message>
    <message>
        <source>Add this scene…</source>
        <translation>加入当前场景…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Start from the open lesson</source>
        <translation>从打开的课程开始</translation>
    </message>
    <message>
        <source>New lesson</source>
        <translation>新建课程</translation>
    </message>
    <message>
        <source>Save lesson…</source>
        <translation>保存课程…</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
</context>
<context>
    <name>LessonBar</name>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Previous step (Page Up)</source>
        <translation>上一步（Page Up）</translation>
    </message>
    <message>
        <source>Next step (Page Down); with a question, first the answer</source>
        <translation>下一步（Page Down）；有提问时先揭晓答案</translation>
    </message>
    <message>
        <source>Reset this step</source>
        <translation>重置这一步</translation>
    </message>
    <message>
        <source>The step&apos;s scene as the lesson sets it, after the audience played with it</source>
        <translation>观众动过之后，把这一步的场景恢复成课程设定的样子</translation>
    </message>
    <message>
        <source>Presenter view</source>
        <translation>讲者视图</translation>
    </message>
    <message>
        <source>Notes, the next step and the clock in a window of their own (on a second screen if there is one)</source>
        <translation>备注、下一步和时钟放在单独的窗口里（有第二块屏幕时放在那里）</translation>
    </message>
    <message>
        <source>Leave lesson</source>
        <translation>退出课程</translation>
    </message>
    <message>
        <source>Back to the window as it was before the lesson</source>
        <translation>窗口回到开课之前的样子</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
</context>
<context>
    <name>LessonPlayer</name>
    <message>
        <source>Stopped where the lesson stops: %1</source>
        <translation>已停在课程设定之处：%1</translation>
    </message>
    <message>
        <source>This step of the lesson locks the problem (Lessons → Leave lesson to change it)</source>
        <translation>课程的这一步锁定了问题（要修改，请选 课程 → 退出课程）</translation>
    </message>
    <message>
        <source>This step of the lesson locks the runs (Lessons → Leave lesson to change them)</source>
        <translation>课程的这一步锁定了运行（要修改，请选 课程 → 退出课程）</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Cannot open the lesson</source>
        <translation>无法打开课程</translation>
    </message>
    <message>
        <source>Cannot show this step</source>
        <translation>无法显示这一步</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Reached the step limit</source>
        <translation>已到达步数上限</translation>
    </message>
    <message>
        <source>The race starts as soon as the engine is ready (a first launch compiles it)</source>
        <translation>引擎一就绪比赛就开始（首次启动时需要编译）</translation>
    </message>
    <message>
        <source>Cannot use this scene</source>
        <translation>无法使用这个场景</translation>
    </message>
    <message>
        <source>“%1” opens as soon as the dataset kernels are compiled (first launch only, a few seconds)</source>
        <translation>数据集内核编译完成后即打开“%1”（仅首次启动，需要几秒钟）</translation>
    </message>
    <message>
        <source>the scene</source>
        <translation>该场景</translation>
    </message>
    <message>
        <source>Open scene</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <source>Scenes (*.toml)</source>
        <translation>场景文件 (*.toml)</translation>
    </message>
    <message>
        <source>Cannot open the scene</source>
        <translation>无法打开场景</translation>
    </message>
    <message>
        <source>Save scene</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <source>Cannot save the scene</source>
        <translation>无法保存场景</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source> (details in %1)</source>
        <translation>（详情见 %1）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused — press Space to race</source>
        <translation>已暂停 — 按空格键开始比赛</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>Space  play / pause
→  one step
R  reset to step 0
F  fit the surface
E  explain the step (arrows, effective learning rate)
S  step by step: → walks through the rule line by line
H  the curvature a step feels (λ₁, λ₂, κ, Newton&apos;s step, 2/λ_max)
B  basins of attraction
3  the 3-D view (drag: turn, wheel: zoom, double-click: front view)
D  the data view in the centre (datasets; again: the map)
F11  presentation mode
Page Down / Page Up  next / previous preset (in a lesson: step)
.  blank the map (presenter remotes)
L  legend on the map (on in presentation mode)

Click the map: every run starts there.
Shift+click: only the selected run.
Drag the ring to move the start.
Wheel: zoom; drag: pan.

Drop a .csv file on the window to fit a model to it.</source>
        <translation>空格  播放 / 暂停
→  走一步
R  重置到第 0 步
F  显示整个曲面
E  解释这一步（箭头、有效学习率）
S  逐步模式：→ 逐行走过更新规则
H  一步所感受到的曲率（λ₁、λ₂、κ、牛顿步、2/λ_max）
B  吸引域
3  三维视图（拖动：旋转，滚轮：缩放，双击：正视图）
D  数据视图放在中间（数据集；再按一次：回到地图）
F11  演示模式
Page Down / Page Up  下一个 / 上一个预设（课程中：下一步 / 上一步）
.  地图黑屏（演示遥控器）
L  地图上的图例（演示模式下打开）

点击地图：所有运行都从那里出发。
Shift+点击：只移动选中的运行。
拖动圆环可移动起点。
滚轮：缩放；拖动：平移。

把 .csv 文件拖到窗口上，即可用模型拟合它。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open scene…</source>
        <translation>打开场景(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save scene…</source>
        <translation>保存场景(&amp;S)…</translation>
    </message>
    <message>
        <source>Open &amp;CSV…</source>
        <translation>打开 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Record clip…</source>
        <translation>录制视频(&amp;R)…</translation>
    </message>
    <message>
        <source>Export &amp;figure… (PNG, SVG)</source>
        <translation>导出图片(&amp;F)… (PNG, SVG)</translation>
    </message>
    <message>
        <source>Export &amp;data… (CSV)</source>
        <translation>导出数据(&amp;D)… (CSV)</translation>
    </message>
    <message>
        <source>Export as &amp;PyTorch script…</source>
        <translation>导出为 PyTorch 脚本(&amp;P)…</translation>
    </message>
    <message>
        <source>Export as &amp;notebook… (Jupyter)</source>
        <translation>导出为笔记本(&amp;N)… (Jupyter)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Next preset</source>
        <translation>下一个预设(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous preset</source>
        <translation>上一个预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Fit the surface</source>
        <translation>显示整个曲面(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Race</source>
        <translation>比赛(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Learning-rate sweep…</source>
        <translation>学习率扫描(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Tune the race (best lr per run)</source>
        <translation>调优比赛(&amp;T)（为每个运行选最佳学习率）</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard and mouse</source>
        <translation>键盘和鼠标(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard and mouse</source>
        <translation>键盘和鼠标</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Open lesson…</source>
        <translation>打开课程(&amp;O)…</translation>
    </message>
    <message>
        <source>L&amp;eave lesson</source>
        <translation>退出课程(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Presenter view</source>
        <translation>讲者视图(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Add this scene as a step…</source>
        <translation>把当前场景加为一步(&amp;A)…</translation>
    </message>
    <message>
        <source>Lesson s&amp;teps…</source>
        <translation>课程步骤(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Save lesson…</source>
        <translation>保存课程(&amp;S)…</translation>
    </message>
    <message>
        <source>Open lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <source>Lessons (*.toml)</source>
        <translation>课程 (*.toml)</translation>
    </message>
</context>
<context>
    <name>OwnData</name>
    <message>
        <source>Cannot use this CSV file</source>
        <translation>无法使用这个 CSV 文件</translation>
    </message>
    <message>
        <source>Open CSV</source>
        <translation>打开 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>PlatformCheck</name>
    <message>
        <source> (and %1 more)</source>
        <translation>（另有 %1 个）</translation>
    </message>
    <message>
        <source>Qt&apos;s X11 display plugin needs %1%2, which is not installed: %3  (Debian/Ubuntu)  or  %4  (Fedora)</source>
        <translation>Qt 的 X11 显示插件需要 %1%2，但未安装：%3  (Debian/Ubuntu)  或  %4  (Fedora)</translation>
    </message>
</context>
<context>
    <name>PresenterView</name>
    <message>
        <source>Descent Lab — presenter view</source>
        <translation>Descent Lab — 讲者视图</translation>
    </message>
    <message>
        <source>Reset this step</source>
        <translation>重置这一步</translation>
    </message>
    <message>
        <source>Swap screens</source>
        <translation>交换屏幕</translation>
    </message>
    <message>
        <source>Next:</source>
        <translation>下一步：</translation>
    </message>
    <message>
        <source>%1 — step %2 of %3: %4</source>
        <translation>%1 — 第 %2 步，共 %3 步：%4</translation>
    </message>
    <message>
        <source>(no notes for this step)</source>
        <translation>（这一步没有备注）</translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>(the last step)</source>
        <translation>（最后一步）</translation>
    </message>
    <message>
        <source>elapsed %1</source>
        <translation>已用时 %1</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>unknown preset %1; choose one of: %2</source>
        <translation>未知的预设 %1；可选：%2</translation>
    </message>
</context>
<context>
    <name>ProblemLooks</name>
    <message>
        <source>training ——   test - - -</source>
        <translation>训练 ——   测试 - - -</translation>
    </message>
</context>
<context>
    <name>RaceController</name>
    <message>
        <source>The race stopped</source>
        <translation>比赛已停止</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>preparing the engine (a first launch compiles it: a few seconds)…</source>
        <translation>正在准备引擎（首次启动需要编译：几秒钟）…</translation>
    </message>
    <message>
        <source>step %1   ·   %2 steps/s   ·   %3 fps   ·   %4</source>
        <translation>第 %1 步   ·   每秒 %2 步   ·   %3 fps   ·   %4</translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message>
        <source>Learning-rate sweep</source>
        <translation>学习率扫描</translation>
    </message>
    <message>
        <source>Each run&apos;s optimizer from its own start, %n steps, every other setting kept. Rings: the runs&apos; current lr.</source>
        <translation>每个运行的优化器从各自的起点出发，运行 %n 步，其他设置不变。圆环：各运行当前的学习率。</translation>
    </message>
    <message>
        <source>final loss</source>
        <translation>最终损失</translation>
    </message>
    <message>
        <source>steps to reach a minimum</source>
        <translation>到达最小值所需步数</translation>
    </message>
</context>
<context>
    <name>Transport</name>
    <message>
        <source>Transport</source>
        <translation>播放控制</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停（空格键）</translation>
    </message>
    <message>
        <source>Step ▸</source>
        <translation>单步 ▸</translation>
    </message>
    <message>
        <source>One step (→)</source>
        <translation>走一步（→）</translation>
    </message>
    <message>
        <source>↺ Reset</source>
        <translation>↺ 重置</translation>
    </message>
    <message>
        <source>Back to step 0 (R)</source>
        <translation>回到第 0 步（R）</translation>
    </message>
    <message>
        <source> speed </source>
        <translation> 速度 </translation>
    </message>
    <message>
        <source> stop at step </source>
        <translation> 停在第几步 </translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>%1 steps/s</source>
        <translation>每秒 %1 步</translation>
    </message>
</context>
<context>
    <name>TuneDialog</name>
    <message>
        <source>Tune the race</source>
        <translation>调优比赛</translation>
    </message>
    <message>
        <source>Each run now has the lr (of a log grid refined around the best) that reaches the minimum first from its start;
ties and runs that never reach it are ranked by final loss.</source>
        <translation>每个运行现在使用从其起点最先到达最小值的学习率（在对数网格上围绕最优值逐步细化）；
并列的运行和始终未到达的运行按最终损失排名。</translation>
    </message>
    <message>
        <source>run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>old lr</source>
        <translation>原学习率</translation>
    </message>
    <message>
        <source>new lr</source>
        <translation>新学习率</translation>
    </message>
    <message>
        <source>reaches in</source>
        <translation>到达用时</translation>
    </message>
    <message>
        <source>%n steps</source>
        <translation>%n 步</translation>
    </message>
    <message>
        <source>— (loss %1)</source>
        <translation>—（损失 %1）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s：错误：%(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>需要一个值</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>无效的选择：%(value)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>无法识别的参数：%s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>不能与参数 %s 同时使用</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>有歧义的选项：%(option)s 可能是 %(matches)s</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>忽略了显式参数 %r</translation>
    </message>
</context>
</TS>
