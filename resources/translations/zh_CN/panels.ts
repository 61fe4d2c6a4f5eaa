<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BasinLayer</name>
    <message>
        <source>Could not compute the basin map</source>
        <translation>无法计算吸引域图</translation>
    </message>
    <message>
        <source>Basins: %1</source>
        <translation>吸引域：%1</translation>
    </message>
    <message>
        <source>%1 steps</source>
        <translation>%1 步</translation>
    </message>
    <message>
        <source>minimum (%1, %2) %3</source>
        <translation>最小值 (%1, %2) %3</translation>
    </message>
    <message>
        <source>diverged %1</source>
        <translation>发散 %1</translation>
    </message>
    <message>
        <source>%1 steps each (the step limit, %2, capped for the map)</source>
        <translation>每格 %1 步（步数上限 %2 已为此图截短）</translation>
    </message>
    <message>
        <source>Final training loss: %1</source>
        <translation>最终训练损失：%1</translation>
    </message>
    <message>
        <source>lowest (%1) … highest (%2), log scale</source>
        <translation>最低（%1）… 最高（%2），对数刻度</translation>
    </message>
    <message>
        <source>still running %1</source>
        <translation>仍在进行 %1</translation>
    </message>
    <message>
        <source>lighter = reached sooner (%1–%2 steps, log scale)</source>
        <translation>越浅 = 越早到达（%1–%2 步，对数刻度）</translation>
    </message>
    <message>
        <source>no start reached a minimum</source>
        <translation>没有起点到达最小值</translation>
    </message>
</context>
<context>
    <name>CurvatureLayer</name>
    <message>
        <source>select a run to see the curvature at its point</source>
        <translation>选中一个运行，查看它所在位置的曲率</translation>
    </message>
    <message>
        <source>the run diverged: no curvature to show</source>
        <translation>该运行已发散：没有曲率可显示</translation>
    </message>
    <message>
        <source>no curvature: the model has %1 parameters (the Hessian is computed for at most %2)</source>
        <translation>没有曲率：模型有 %1 个参数（黑塞矩阵最多只对 %2 个参数计算）</translation>
    </message>
    <message>
        <source>no curvature here: %1</source>
        <translation>这里没有曲率：%1</translation>
    </message>
    <message>
        <source>%1 — the curvature it feels at step %2</source>
        <translation>%1 —— 它在第 %2 步感受到的曲率</translation>
    </message>
    <message>
        <source>λ₁ = %1, λ₂ = %2, condition number κ = %3</source>
        <translation>λ₁ = %1，λ₂ = %2，条件数 κ = %3</translation>
    </message>
    <message>
        <source>2/λ_max = %1: the largest stable lr of GD here</source>
        <translation>2/λ_max = %1：GD 在这里最大的稳定 lr</translation>
    </message>
    <message>
        <source>along %1: %2</source>
        <translation>沿 %1：%2</translation>
    </message>
    <message>
        <source>no Newton step: the Hessian is singular</source>
        <translation>没有牛顿步：黑塞矩阵是奇异的</translation>
    </message>
    <message>
        <source>Newton&apos;s step −H⁻¹g (longer than the view)</source>
        <translation>牛顿步 −H⁻¹g（比视图还长）</translation>
    </message>
    <message>
        <source>Newton&apos;s step −H⁻¹g</source>
        <translation>牛顿步 −H⁻¹g</translation>
    </message>
    <message>
        <source>a level curve of the quadratic model</source>
        <translation>二次模型的一条等高线</translation>
    </message>
    <message>
        <source>projected on the map&apos;s plane (the model has %1 parameters)</source>
        <translation>投影到地图的平面上（模型有 %1 个参数）</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>&amp;Data view in the centre (datasets)</source>
        <translation>数据视图放在中间（数据集）(&amp;D)</translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <source>2 of %1 features shown</source>
        <translation>只显示 %1 个特征中的 2 个</translation>
    </message>
    <message>
        <source>%1 · %2 features: the data view draws 1-D and 2-D data only</source>
        <translation>%1 · %2 个特征：数据视图只画一维和二维数据</translation>
    </message>
    <message>
        <source>P(class 1)</source>
        <translation>P(类别 1)</translation>
    </message>
    <message>
        <source> (standardised)</source>
        <translation>（已标准化）</translation>
    </message>
    <message>
        <source>diverged: no fit to show</source>
        <translation>已发散：没有可显示的拟合</translation>
    </message>
    <message>
        <source>accuracy %1 (test %2)</source>
        <translation>准确率 %1（测试 %2）</translation>
    </message>
    <message>
        <source>accuracy %1</source>
        <translation>准确率 %1</translation>
    </message>
    <message>
        <source>loss %1 (test %2)</source>
        <translation>损失 %1（测试 %2）</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>损失 %1</translation>
    </message>
</context>
<context>
    <name>DatasetPage</name>
    <message>
        <source>hidden sizes: give at least one layer, e.g. 16, 16</source>
        <translation>隐藏层大小：至少给出一层，例如 16, 16</translation>
    </message>
    <message>
        <source>hidden sizes: at most %1 layers, got %2</source>
        <translation>隐藏层大小：最多 %1 层，这里有 %2 层</translation>
    </message>
    <message>
        <source>hidden sizes: %1 is not a layer size (a whole number from 1 to %2)</source>
        <translation>隐藏层大小：%1 不是有效的层大小（应为 1 到 %2 的整数）</translation>
    </message>
    <message>
        <source>the fraction of points pushed far off the line</source>
        <translation>被推离直线很远的点所占的比例</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>a model fitted to data: generated, or your own CSV file</source>
        <translation>用模型拟合数据：生成的数据，或你自己的 CSV 文件</translation>
    </message>
    <message>
        <source>Open CSV…</source>
        <translation>打开 CSV…</translation>
    </message>
    <message>
        <source>your own data: numeric feature columns and a target column (the last one, or one named label, target or y)</source>
        <translation>你自己的数据：若干数值特征列和一个目标列（最后一列，或列名为 label、target 或 y 的一列）</translation>
    </message>
    <message>
        <source>points in all (training + test)</source>
        <translation>点的总数（训练 + 测试）</translation>
    </message>
    <message>
        <source>the spread of the points (for the line: of y)</source>
        <translation>点的离散程度（对直线而言：y 的离散程度）</translation>
    </message>
    <message>
        <source>the fraction of points held out as the test set</source>
        <translation>留作测试集的点所占的比例</translation>
    </message>
    <message>
        <source>the seed of the points and of the train/test split</source>
        <translation>生成点以及划分训练/测试所用的随机种子</translation>
    </message>
    <message>
        <source>new sample</source>
        <translation>新样本</translation>
    </message>
    <message>
        <source>draw new points (the next data seed)</source>
        <translation>重新抽取一批点（下一个数据种子）</translation>
    </message>
    <message>
        <source>the MLP&apos;s hidden layer sizes, e.g. 16, 16</source>
        <translation>MLP 各隐藏层的大小，例如 16, 16</translation>
    </message>
    <message>
        <source>the MLP&apos;s activation function</source>
        <translation>MLP 的激活函数</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>λ₁: lasso penalty λ₁ Σ|w| on the weights</source>
        <translation>λ₁：权重上的 lasso 惩罚项 λ₁ Σ|w|</translation>
    </message>
    <message>
        <source>λ₂: ridge penalty λ₂ Σw² on the weights</source>
        <translation>λ₂：权重上的 ridge 惩罚项 λ₂ Σw²</translation>
    </message>
    <message>
        <source>standardise features</source>
        <translation>特征标准化</translation>
    </message>
    <message>
        <source>shift and scale every feature to mean 0, standard deviation 1 (on the training set): it changes the shape of the loss</source>
        <translation>把每个特征平移、缩放到均值 0、标准差 1（在训练集上计算）：这会改变损失的形状</translation>
    </message>
    <message>
        <source>points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>outliers</source>
        <translation>离群点</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试比例</translation>
    </message>
    <message>
        <source>data seed</source>
        <translation>数据种子</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <source>act.</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>(the CSV file&apos;s own)</source>
        <translation>（由 CSV 文件决定）</translation>
    </message>
    <message>
        <source>only the noisy line has outliers</source>
        <translation>只有带噪声的直线才有离群点</translation>
    </message>
    <message>
        <source>CSV: %1</source>
        <translation>CSV：%1</translation>
    </message>
    <message>
        <source>default (%1)</source>
        <translation>默认（%1）</translation>
    </message>
    <message>
        <source>%1 classes</source>
        <translation>%1 类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>, standardised</source>
        <translation>，已标准化</translation>
    </message>
    <message>
        <source>%1 training + %2 test points, %3 feature(s), %4</source>
        <translation>%1 个训练点 + %2 个测试点，%3 个特征，%4</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
</context>
<context>
    <name>EquationsPanel</name>
    <message>
        <source>Δθ (the step)</source>
        <translation>Δθ（这一步）</translation>
    </message>
    <message>
        <source>effective lr</source>
        <translation>有效 lr</translation>
    </message>
    <message>
        <source>d (the Newton direction)</source>
        <translation>d（牛顿方向）</translation>
    </message>
    <message>
        <source>live numbers (before the first step):</source>
        <translation>实时数值（第一步之前）：</translation>
    </message>
    <message>
        <source>live numbers, step %1:</source>
        <translation>实时数值，第 %1 步：</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Add a run to see its update rule.</source>
        <translation>添加一个运行，即可看到它的更新规则。</translation>
    </message>
</context>
<context>
    <name>ExplainLayer</name>
    <message>
        <source>select a run to see its step explained</source>
        <translation>选中一个运行，即可看到它这一步的讲解</translation>
    </message>
    <message>
        <source>%1 diverged at step %2: nothing to explain</source>
        <translation>%1 在第 %2 步发散：没有可讲解的</translation>
    </message>
    <message>
        <source>%1 diverged: nothing to explain</source>
        <translation>%1 已发散：没有可讲解的</translation>
    </message>
    <message>
        <source>%1 — its next step, explained</source>
        <translation>%1 — 下一步的讲解</translation>
    </message>
</context>
<context>
    <name>FormulaPage</name>
    <message>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>a surface f(x, y) you type</source>
        <translation>自己输入的曲面 f(x, y)</translation>
    </message>
    <message>
        <source>f(x, y), e.g. x^2 + 3*y^2 or sin(x)*cos(y)</source>
        <translation>f(x, y)，例如 x^2 + 3*y^2 或 sin(x)*cos(y)</translation>
    </message>
    <message>
        <source>f(x, y): numbers, x, y, pi, e, + − * / ^ (or **), parentheses, functions such as sin, cos, exp, log, sqrt, abs, and min(a, b), max(a, b)</source>
        <translation>f(x, y)：可以用数字、x、y、pi、e、+ − * / ^（或 **）、括号，sin、cos、exp、log、sqrt、abs 等函数，以及 min(a, b)、max(a, b)</translation>
    </message>
    <message>
        <source>x from</source>
        <translation>x 从</translation>
    </message>
    <message>
        <source>x to</source>
        <translation>x 到</translation>
    </message>
    <message>
        <source>y from</source>
        <translation>y 从</translation>
    </message>
    <message>
        <source>y to</source>
        <translation>y 到</translation>
    </message>
    <message>
        <source>where every run starts (or click the map)</source>
        <translation>所有运行的起点（也可以点击地图）</translation>
    </message>
    <message>
        <source>centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>start every run at the centre of the domain</source>
        <translation>让所有运行从定义域的中心出发</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>start</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>the domain&apos;s %1 range must run from low to high (got %2 to %3)</source>
        <translation>定义域的 %1 范围必须从小到大（现在是 %2 到 %3）</translation>
    </message>
    <message>
        <source>type a formula f(x, y), e.g. %1</source>
        <translation>请输入公式 f(x, y)，例如 %1</translation>
    </message>
    <message>
        <source>the formula engine is still being prepared (first launch only); type again in a moment</source>
        <translation>公式引擎还在准备中（仅首次启动时）；请稍后再输入</translation>
    </message>
    <message>
        <source>allowed:</source>
        <translation>允许：</translation>
    </message>
    <message>
        <source>the map still shows %1</source>
        <translation>地图仍显示 %1</translation>
    </message>
    <message>
        <source>no minimum found in the domain</source>
        <translation>定义域内没有找到最小值</translation>
    </message>
    <message>
        <source>lowest in the domain: f = %1 at %2</source>
        <translation>定义域内的最低点：f = %1，位于 %2</translation>
    </message>
    <message>
        <source> (and %1 local)</source>
        <translation>（另有 %1 个局部极小值）</translation>
    </message>
</context>
<context>
    <name>HyperMapPanel</name>
    <message>
        <source>Hyperparameter map</source>
        <translation>超参数图</translation>
    </message>
    <message>
        <source>horizontal axis</source>
        <translation>横轴</translation>
    </message>
    <message>
        <source>vertical axis</source>
        <translation>纵轴</translation>
    </message>
    <message>
        <source>what the colour of a cell says</source>
        <translation>每一格的颜色表示什么</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>the target loss (a positive number); empty: 1.05 × the best loss any cell reached</source>
        <translation>目标损失（一个正数）；留空：所有格子达到的最低损失 × 1.05</translation>
    </message>
    <message>
        <source>Could not compute the hyperparameter map</source>
        <translation>无法计算超参数图</translation>
    </message>
    <message>
        <source>final loss</source>
        <translation>最终损失</translation>
    </message>
    <message>
        <source>Invalid target loss: %1 (allowed: a positive number, or empty for automatic)</source>
        <translation>无效的目标损失：%1（允许：一个正数，或留空表示自动）</translation>
    </message>
    <message>
        <source>computing the map over %1: each cell is a race of %2 steps…</source>
        <translation>正在计算 %1 上的图：每一格都是一场 %2 步的比赛…</translation>
    </message>
    <message>
        <source>%1: steps to a minimum</source>
        <translation>%1：到达最小值所需的步数</translation>
    </message>
    <message>
        <source>%1: steps to a loss of %2</source>
        <translation>%1：损失降到 %2 所需的步数</translation>
    </message>
    <message>
        <source>%1: final training loss</source>
        <translation>%1：最终训练损失</translation>
    </message>
    <message>
        <source>Each cell raced %1 steps.</source>
        <translation>每一格比赛 %1 步。</translation>
    </message>
    <message>
        <source>No cell reached a minimum: grey by the final loss (darker = higher), black = diverged. %1 Click to use.</source>
        <translation>没有一格到达最小值：灰色按最终损失着色（越深越高），黑 = 发散。%1点击即可采用。</translation>
    </message>
    <message>
        <source>Dashed: the edge of the stable region of the local quadratic model at the start (smaller lr: stable).</source>
        <translation>虚线：起点处局部二次模型稳定区域的边界（lr 更小：稳定）。</translation>
    </message>
    <message>
        <source>Fastest: %1 (%2 steps).</source>
        <translation>最快：%1（%2 步）。</translation>
    </message>
    <message>
        <source>yellow = reached in %1 steps, grey = the loss stayed above %2, black = diverged; checked every %3 steps. %4 Click to use.</source>
        <translation>黄 = %1 步内到达，灰 = 损失始终高于 %2，黑 = 发散；每 %3 步检查一次。%4点击即可采用。</translation>
    </message>
    <message>
        <source>yellow = soonest (%1 steps) … purple = latest (%2, log), grey = the loss stayed above %3, black = diverged; checked every %4 steps. %5 Fastest: %6 (%7 steps). Click to use.</source>
        <translation>黄 = 最快（%1 步）… 紫 = 最慢（%2，对数），灰 = 损失始终高于 %3，黑 = 发散；每 %4 步检查一次。%5最快：%6（%7 步）。点击即可采用。</translation>
    </message>
    <message>
        <source>No cell reached a loss of %1 (the lowest was %2): grey = above it, black = diverged. %3 Click to use.</source>
        <translation>没有一格的损失降到 %1（最低为 %2）：灰 = 高于它，黑 = 发散。%3点击即可采用。</translation>
    </message>
    <message>
        <source>Every cell diverged (black). %1</source>
        <translation>每一格都发散了（黑）。%1</translation>
    </message>
    <message>
        <source>yellow = lowest loss (%1) … purple = the start&apos;s loss (%2) or higher (log), black = diverged. %3 Lowest: %4. Click to use.</source>
        <translation>黄 = 损失最低（%1）… 紫 = 起点的损失（%2）或更高（对数），黑 = 发散。%3最低：%4。点击即可采用。</translation>
    </message>
    <message>
        <source>yellow = lowest loss (%1) … purple = highest (%2, log), black = diverged. %3 Lowest: %4. Click to use.</source>
        <translation>黄 = 损失最低（%1）… 紫 = 最高（%2，对数），黑 = 发散。%3最低：%4。点击即可采用。</translation>
    </message>
    <message>
        <source>across: %1, up: %2.</source>
        <translation>横向：%1，纵向：%2。</translation>
    </message>
    <message>
        <source>steps to target</source>
        <translation>到达目标的步数</translation>
    </message>
    <message>
        <source>Each cell raced %1 steps (capped from the limit of %2: a map finishes in seconds).</source>
        <translation>每一格比赛 %1 步（由上限 %2 截短：一张图几秒内完成）。</translation>
    </message>
    <message>
        <source>across: %1.</source>
        <translation>横向：%1。</translation>
    </message>
    <message>
        <source>yellow = soon (%1) … purple = late (%2 steps, log), grey = not reached in %3 (darker = higher loss), black = diverged. Click to use.</source>
        <translation>黄 = 快（%1）… 紫 = 慢（%2 步，对数），灰 = %3 步内未到达（越深损失越高），黑 = 发散。点击即可采用。</translation>
    </message>
    <message>
        <source>%1 %2 %3</source>
        <translation>%1%2%3</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
</context>
<context>
    <name>Leaderboard</name>
    <message>
        <source>run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>standing</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>diverged at %1</source>
        <translation>第 %1 步发散</translation>
    </message>
    <message>
        <source>local min after %1 evaluations</source>
        <translation>求值 %1 次后到达局部极小值</translation>
    </message>
    <message>
        <source>min after %1 evaluations</source>
        <translation>求值 %1 次后到达最小值</translation>
    </message>
    <message>
        <source>local min at %1</source>
        <translation>第 %1 步到达局部极小值</translation>
    </message>
    <message>
        <source>min at %1</source>
        <translation>第 %1 步到达最小值</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>min at %1 ± %2</source>
        <translation>%1 ± %2 步到最小值</translation>
    </message>
    <message>
        <source>min at %1 ± %2 (%3/%4)</source>
        <translation>%1 ± %2 步到最小值（%3/%4）</translation>
    </message>
    <message>
        <source>accuracy %1 ± %2</source>
        <translation>准确率 %1 ± %2</translation>
    </message>
    <message>
        <source>accuracy %1</source>
        <translation>准确率 %1</translation>
    </message>
</context>
<context>
    <name>LossPanel</name>
    <message>
        <source>Loss against &amp;epochs (datasets)</source>
        <translation>按轮显示损失（数据集）(&amp;E)</translation>
    </message>
    <message>
        <source>Count function e&amp;valuations</source>
        <translation>按函数求值次数计(&amp;V)</translation>
    </message>
    <message>
        <source>Loss curves and the leaderboard count function evaluations instead of steps, so that a quasi-Newton method races first-order ones fairly: a first-order step is one evaluation (a gradient), a Newton step one too (its Hessian counts as one evaluation), an L-BFGS step as many as it made (inner iterations and line-search probes).</source>
        <translation>损失曲线和排行榜按函数求值次数而不是步数计，这样拟牛顿法与一阶方法的比赛才公平：一阶方法的一步是一次求值（一个梯度），牛顿法的一步也是一次（黑塞矩阵算作一次求值），L-BFGS 的一步则按它实际做了多少次计（内部迭代和线搜索的试探点）。</translation>
    </message>
</context>
<context>
    <name>LossView</name>
    <message>
        <source>training ——   test - - -</source>
        <translation>训练 ——   测试 - - -</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss − f*</source>
        <translation>损失 − f*</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>function evaluations</source>
        <translation>函数求值次数</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
</context>
<context>
    <name>MapFrame</name>
    <message>
        <source>the training loss over the model&apos;s two parameters (%1)</source>
        <translation>模型两个参数上的训练损失（%1）</translation>
    </message>
    <message>
        <source>map: training loss over (%1, %2)</source>
        <translation>地图：(%1, %2) 上的训练损失</translation>
    </message>
    <message>
        <source>α (direction 1)</source>
        <translation>α（方向 1）</translation>
    </message>
    <message>
        <source>β (direction 2)</source>
        <translation>β（方向 2）</translation>
    </message>
    <message>
        <source>%1, %2 parameters: a 2-D slice of the loss</source>
        <translation>%1，%2 个参数：损失的一个二维切片</translation>
    </message>
    <message>
        <source>a 2-D slice through the start, along two random directions;
the paths are projected onto it</source>
        <translation>过起点、沿两个随机方向的二维切片；
路径投影在切片上</translation>
    </message>
    <message>
        <source>a 2-D slice through the start, along two random directions
(normalised per layer); the paths are projected onto it</source>
        <translation>过起点、沿两个随机方向的二维切片
（按层归一化）；路径投影在切片上</translation>
    </message>
    <message>
        <source>a (direction 1 of the paths)</source>
        <translation>a（路径的方向 1）</translation>
    </message>
    <message>
        <source>b (direction 2 of the paths)</source>
        <translation>b（路径的方向 2）</translation>
    </message>
    <message>
        <source>a 2-D slice through the start, along two random directions;
once the runs move, the plane their paths live in</source>
        <translation>过起点、沿两个随机方向的二维切片；
各运行一开始移动，就改为它们路径所在的平面</translation>
    </message>
    <message>
        <source>the plane holds %1 of the movement</source>
        <translation>这个平面包含路径 %1 的移动</translation>
    </message>
    <message>
        <source>plane refitted at step %1</source>
        <translation>平面在第 %1 步重新拟合</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>Could not draw the surface</source>
        <translation>无法绘制曲面</translation>
    </message>
    <message>
        <source>blanked — press . to show the map</source>
        <translation>已遮住 — 按 . 显示地图</translation>
    </message>
    <message>
        <source>&amp;Legend on the map</source>
        <translation>地图上的图例(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Blank the map</source>
        <translation>遮住地图(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Explain the step</source>
        <translation>讲解这一步(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Step by step (→ walks the rule)</source>
        <translation>逐步讲解（→ 逐行走过规则）(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Basins of attraction</source>
        <translation>吸引域(&amp;B)</translation>
    </message>
    <message>
        <source>colour every start by the minimum the selected run&apos;s optimizer reaches from there</source>
        <translation>按选中运行的优化器从每个起点出发所到达的最小值，为起点着色</translation>
    </message>
    <message>
        <source>&amp;Curvature (what a step feels)</source>
        <translation>曲率（一步所感受到的）(&amp;C)</translation>
    </message>
    <message>
        <source>at the selected run&apos;s point: the Hessian&apos;s eigen-directions, κ, Newton&apos;s step and the stable lr 2/λ_max</source>
        <translation>在选中运行的位置：黑塞矩阵的特征方向、κ、牛顿步和稳定的 lr 2/λ_max</translation>
    </message>
    <message>
        <source>Map &amp;plane (models with many parameters)</source>
        <translation>地图平面（多参数模型）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Fitted to the paths</source>
        <translation>拟合路径(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Random</source>
        <translation>随机(&amp;R)</translation>
    </message>
    <message>
        <source>Random, &amp;normalised per layer</source>
        <translation>随机，按层归一化(&amp;N)</translation>
    </message>
    <message>
        <source>Refit the plane to the &amp;paths now</source>
        <translation>立即按路径重新拟合平面(&amp;P)</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>Preparing the engine — the first launch compiles it (a few seconds)…</source>
        <translation>正在准备引擎 — 首次启动需要编译（几秒钟）…</translation>
    </message>
</context>
<context>
    <name>PlaneFit</name>
    <message>
        <source>Could not fit the map&apos;s plane</source>
        <translation>无法拟合地图的平面</translation>
    </message>
</context>
<context>
    <name>ProblemPanel</name>
    <message>
        <source>σ of Gaussian noise added to every gradient (0 = exact gradients)</source>
        <translation>加在每个梯度上的高斯噪声的 σ（0 = 精确梯度）</translation>
    </message>
    <message>
        <source>gradient noise σ</source>
        <translation>梯度噪声 σ</translation>
    </message>
</context>
<context>
    <name>RunCard</name>
    <message>
        <source>show this run</source>
        <translation>显示这个运行</translation>
    </message>
    <message>
        <source>duplicate this run (same settings)</source>
        <translation>复制这个运行（设置相同）</translation>
    </message>
    <message>
        <source>remove this run</source>
        <translation>删除这个运行</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <source>all %1 (GD)</source>
        <translation>全部 %1（GD）</translation>
    </message>
    <message>
        <source>samples per step: all = batch GD, B = mini-batch, 1 = SGD</source>
        <translation>每步的样本数：全部 = 批量 GD，B = 小批量，1 = SGD</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批量</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>2/λ_max = %1</source>
        <translation>2/λ_max = %1</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Add an optimizer…</source>
        <translation>添加优化器…</translation>
    </message>
</context>
<context>
    <name>ScheduleRow</name>
    <message>
        <source>lr schedule, stepped after every step as torch.optim.lr_scheduler</source>
        <translation>lr 调度：每步之后更新一次，与 torch.optim.lr_scheduler 相同</translation>
    </message>
    <message>
        <source>parameters, e.g. T_max=100, eta_min=0</source>
        <translation>参数，例如 T_max=100, eta_min=0</translation>
    </message>
    <message>
        <source>lr against step</source>
        <translation>lr 随步数的变化</translation>
    </message>
    <message>
        <source>lr from %1 over %2 steps: %3</source>
        <translation>lr 从 %1 起，共 %2 步：%3</translation>
    </message>
    <message>
        <source>write the parameters as name=value, name=value</source>
        <translation>请把参数写成 name=value, name=value</translation>
    </message>
</context>
<context>
    <name>SurfacePage</name>
    <message>
        <source>Surface</source>
        <translation>曲面</translation>
    </message>
    <message>
        <source>a loss surface from the catalogue</source>
        <translation>目录中的一个损失曲面</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Drag back to any recorded step (← / → step through them when paused)</source>
        <translation>拖回任意一个记录下来的步（暂停时用 ← / → 逐步查看）</translation>
    </message>
    <message>
        <source>Resume from here</source>
        <translation>从这里继续</translation>
    </message>
    <message>
        <source>Go back to this step — exactly, by replaying the race — and race on from it</source>
        <translation>精确地回到这一步（重放比赛），并从这里继续比赛</translation>
    </message>
    <message>
        <source>One recorded step back</source>
        <translation>后退一个记录的步</translation>
    </message>
    <message>
        <source>step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <source>replaying to step %1…</source>
        <translation>正在重放到第 %1 步…</translation>
    </message>
    <message>
        <source>step %1 (live)</source>
        <translation>第 %1 步（实时）</translation>
    </message>
</context>
<context>
    <name>View3DPanel</name>
    <message>
        <source>computing the 3-D relief…</source>
        <translation>正在计算三维地形…</translation>
    </message>
    <message>
        <source>drag: turn · wheel: zoom · Ctrl+drag: pan · F: reset · 3: map</source>
        <translation>拖动：旋转 · 滚轮：缩放 · Ctrl+拖动：平移 · F：复位 · 3：地图</translation>
    </message>
    <message>
        <source>log height</source>
        <translation>对数高度</translation>
    </message>
    <message>
        <source>heights log₁₀(f − f_min + δ): the valley floor of a surface like Rosenbrock&apos;s becomes visible</source>
        <translation>高度取 log₁₀(f − f_min + δ)：像 Rosenbrock 这样的曲面，谷底也能看清</translation>
    </message>
    <message>
        <source>the 3-D relief could not be computed</source>
        <translation>无法计算三维地形</translation>
    </message>
    <message>
        <source>Could not compute the 3-D relief</source>
        <translation>无法计算三维地形</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; in 3-D</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 的三维视图</translation>
    </message>
    <message>
        <source>3-D</source>
        <translation>三维</translation>
    </message>
    <message>
        <source>log₁₀ loss</source>
        <translation>log₁₀ 损失</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>&amp;3-D view</source>
        <translation>三维视图(&amp;3)</translation>
    </message>
    <message>
        <source>&amp;3-D view (needs OpenGL)</source>
        <translation>三维视图（需要 OpenGL）(&amp;3)</translation>
    </message>
    <message>
        <source>Log &amp;height (3-D)</source>
        <translation>对数高度（三维）(&amp;H)</translation>
    </message>
</context>
<context>
    <name>gl_check</name>
    <message>
        <source>the 3-D view needs PyOpenGL, which is not installed (pip install PyOpenGL)</source>
        <translation>三维视图需要 PyOpenGL，但它没有安装（pip install PyOpenGL）</translation>
    </message>
    <message>
        <source>the 3-D view needs OpenGL, which Qt&apos;s “%1” platform does not provide</source>
        <translation>三维视图需要 OpenGL，而 Qt 的“%1”平台不提供 OpenGL</translation>
    </message>
    <message>
        <source>the 3-D view needs OpenGL, and no OpenGL context could be created here (%1)</source>
        <translation>三维视图需要 OpenGL，但这里无法创建 OpenGL 上下文（%1）</translation>
    </message>
    <message>
        <source>the 3-D view needs OpenGL, and the OpenGL context could not be used</source>
        <translation>三维视图需要 OpenGL，但 OpenGL 上下文无法使用</translation>
    </message>
    <message>
        <source>the 3-D view needs OpenGL 2.1 or later; this machine offers %1</source>
        <translation>三维视图需要 OpenGL 2.1 或更高版本；这台机器只有 %1</translation>
    </message>
</context>
</TS>
