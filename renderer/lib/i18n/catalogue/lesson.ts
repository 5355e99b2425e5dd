/** The lesson: the tutorial chapter's path through MNIST, written for the app in English and Korean. */
export const lessonEn = {
  'lesson.title': 'From pixels to a CNN',
  'lesson.steps': 'Lesson steps',
  'lesson.seen': 'opened before',
  'lesson.stepOf': 'Step {step} of {steps}',
  'lesson.pages': 'Lesson pages',
  'lesson.previous': 'Previous',
  'lesson.next': 'Next',
  'lesson.keys': 'Page Down and Page Up turn the pages',
  'lesson.reset': 'Your saved lesson progress could not be read ({reason}), so the lesson starts again from step 1. The old file was kept as {keptAs}.',
  'lesson.inKeras': 'The same in Keras',
  'lesson.openInDesigner': 'Open this model in the designer →',
  'lesson.mnist.title': 'Meet MNIST',
  'lesson.mnist.intro':
    'MNIST is a collection of handwritten digits, gathered from American census staff and students and scanned to a common size. It is small enough to train on a laptop in minutes and hard enough to show why the choice of network matters.',
  'lesson.mnist.total': '{count} images in all, each a digit from 0 to 9 with its label.',
  'lesson.mnist.split':
    '{train} of them are for training, {test} are kept apart for testing: the model never learns from the test digits, so they tell how well it does on handwriting it has not seen.',
  'lesson.mnist.grey': 'Each image is {side} × {side} pixels of grey: one number per pixel, no colour.',
  'lesson.mnist.first': 'The first training image. Its label says it is a {label}.',
  'lesson.mnist.shape': 'One image has the shape',
  'lesson.mnist.browse': 'All 70,000 are in the Dataset view, with their labels and pixel values.',
  'lesson.mnist.toDataset': 'Browse the dataset →',
  'lesson.pixels.title': 'Pixels as numbers',
  'lesson.pixels.intro':
    'To the computer the digit is a grid of 784 numbers. 0 is the white paper, 255 the darkest ink, and the values between are the soft edges of the pen stroke. Point at a row of the digit to read its numbers.',
  'lesson.pixels.digit': 'The first training digit, one cell per pixel',
  'lesson.pixels.row': 'Row {row}, as stored (0–255):',
  'lesson.pixels.normalised': 'The same row divided by 255 (0–1):',
  'lesson.pixels.reshape':
    'A Dense layer takes a flat list, not a grid, so the {size} rows are laid end to end: 28 × 28 becomes one vector of {count} values. Row r, column c lands at position r × 28 + c; the first ink of this digit, at row {row}, column {column}, is value number {first}.',
  'lesson.pixels.why':
    'Dividing by 255 puts every value between 0 and 1. The starting weights and the learning rate are made for inputs of about that size: with values in the hundreds the first weighted sums are huge, the gradients with them, and training lurches instead of settling.',
  'lesson.labels.title': 'Labels and one-hot encoding',
  'lesson.labels.intro':
    'Each image comes with the digit it shows. The network will answer with ten numbers, one per digit, so the label is written the same way: ten places, a 1 at the true digit and 0 everywhere else. These are the first eight training labels.',
  'lesson.labels.label': 'Label',
  'lesson.labels.why':
    'Written as a single number, 7 would look "bigger" than 3, which means nothing for digits. As one-hot vectors every digit is equally far from every other, and the loss can compare them directly with the ten probabilities the model gives.',
  'lesson.baseline.title': 'A first network: Dense 512',
  'lesson.baseline.intro':
    'The first model has one hidden layer. Every one of the 784 pixel values is connected to each of 512 units, and each of those to the 10 outputs.',
  'lesson.baseline.params':
    'Each unit has one weight per input plus a bias: 784 × 512 + 512 = 401,920 for the hidden layer and 512 × 10 + 10 = 5,130 for the output, 407,050 numbers to learn.',
  'lesson.baseline.relu':
    'keeps a value if it is positive and makes it 0 otherwise. It is cheap, and stacked layers of it can bend the input space into almost any shape.',
  'lesson.baseline.softmax': 'turns the 10 outputs into probabilities that are all positive and add up to 1: how sure the model is of each digit.',
  'lesson.baseline.loss':
    'the loss: how little probability the model gave the true digit (−log p). Sure and right costs almost nothing; sure and wrong costs a lot.',
  'lesson.baseline.adam':
    'the optimiser: it moves each weight against its gradient, with a step size it adapts per weight from the gradients so far. Its default learning rate of 0.001 works for both models here.',
  'lesson.callbacks.title': 'Checkpoint and early stopping',
  'lesson.callbacks.intro':
    'Training runs in epochs: one pass over all 60,000 training images. After every epoch the model is measured on the test images (the validation data), and two helpers act on that measurement, val_loss.',
  'lesson.callbacks.checkpoint': 'Checkpoint',
  'lesson.callbacks.checkpointWhy': 'saves the model whenever val_loss is the best so far. The model kept in the end is the best epoch, not the last one.',
  'lesson.callbacks.earlyStopping': 'Early stopping',
  'lesson.callbacks.earlyStoppingWhy':
    'ends training when val_loss has not improved for {patience} epochs in a row: past that point the model is learning the training digits by heart rather than digits in general.',
  'lesson.callbacks.batch': 'The weights are updated after every {batch} images: {steps} updates per epoch.',
  'lesson.callbacks.epochs': 'At most {epochs} passes over the training data, fewer if early stopping ends it.',
  'lesson.callbacks.inApp': 'The app does all of this for every run: its designer has these settings, and each run keeps its best checkpoint.',
  'lesson.train.title': 'Train it',
  'lesson.train.intro':
    'Now the real thing: the Dense 512 network with the settings of the last step, trained here on your machine. The whole recipe takes a few minutes; the quick run takes a tenth of the images for three epochs, enough to see the curves move.',
  'lesson.train.watch': 'The orange line is the loss on each batch of training images, the blue one the loss on the test images after each epoch.',
  'lesson.trainFull': 'Train: the whole recipe',
  'lesson.trainQuick.baseline': 'Quick run (6,000 images, 3 epochs)',
  'lesson.trainQuick.cnn': 'Quick run (6,000 images, 2 epochs)',
  'lesson.useRun': 'Use a run from the history…',
  'lesson.otherRunTraining': 'Another run is training; this one can start when it ends.',
  'lesson.runAt': 'epoch {epoch}, batch {batch} of {batches}',
  'lesson.expected.baseline': 'With the whole recipe this network reaches about 98.2 %.',
  'lesson.expected.cnn': 'With the whole recipe this CNN reaches about 99.2 %.',
  'lesson.toTraining': 'See the run in the training view →',
  'lesson.runName.baseline': 'Lesson: Dense 512',
  'lesson.runName.cnn': 'Lesson: CNN',
  'lesson.plot.title': 'Reading the curves',
  'lesson.plot.intro':
    'The chapter draws two lines per epoch: the loss on the test set, and the error on the training set (1 − accuracy). Both shrink towards 0, which is why they fit on one plot.',
  'lesson.plot.validationLoss': 'test-set loss (val_loss)',
  'lesson.plot.trainingError': 'training-set error (1 − accuracy)',
  'lesson.plot.read':
    'While both fall, the model is still learning something general. When the training error keeps falling but the test loss stops or rises, it has started to memorise: that is the moment early stopping watches for.',
  'lesson.plot.none': 'This plot needs the baseline trained in the previous step.',
  'lesson.plot.toTrain': '← Train it in step 6',
  'lesson.ideas.title': 'The ideas behind a CNN',
  'lesson.ideas.intro':
    'The Dense network sees 784 numbers in a row and has to learn from scratch that neighbouring pixels belong together. A convolutional network starts from that idea. Its parts, tried on the first training digit:',
  'lesson.ideas.kernels': 'Kernels and feature maps',
  'lesson.ideas.receptiveField': 'Receptive fields',
  'lesson.ideas.pooling': 'Max and average pooling',
  'lesson.ideas.dropout': 'Dropout',
  'lesson.ideas.flatten': 'Flatten',
  'lesson.ideas.kernelsText':
    'A kernel is a small grid of weights, here 3 × 3. It slides over the image; at each place the nine pixels under it are multiplied by its weights and added up. The sums form a new image, a feature map, bright wherever the pattern of the kernel appears. A Conv2D layer learns 32 such kernels instead of being given them. Step through it with the arrow keys.',
  'lesson.ideas.receptiveFieldText':
    'A pixel of a feature map depends only on the part of the digit under its kernel: its receptive field. Each further layer looks at a window of the maps before it, so its pixels see more of the digit:',
  'lesson.ideas.field': 'after {layer}: {size} × {size} pixels of the digit',
  'lesson.ideas.receptiveFieldTry': 'In the designer, point at a feature map in the previews to see its receptive field outlined on the digit.',
  'lesson.ideas.poolingText':
    'Pooling shrinks a map by keeping one value per 2 × 2 window: the largest (max pooling) or the mean (average pooling). Max pooling keeps whether a feature is there and forgets exactly where; average pooling blurs a sharp feature into its neighbours.',
  'lesson.ideas.dropoutText':
    'While training, dropout switches off a random quarter of the values at every step and scales up the rest so the sum stays the same. No unit can rely on one particular other, so the network learns several ways to recognise a digit. When predicting, nothing is dropped.',
  'lesson.ideas.flattenText':
    'At the end the maps are laid out in one vector, row by row, so Dense layers can read them: this {height} × {width} map becomes {count} values. Point at a pixel to see its place.',
  'lesson.ideas.inDesigner': 'Step through any layer of the CNN in the designer →',
  'lesson.cnn.title': 'The CNN',
  'lesson.cnn.intro':
    'The chapter’s CNN puts these ideas in a row: two convolutions, max pooling and dropout, then flatten and two Dense layers. Most of its weights sit in the first Dense layer, which reads all 9,216 values of the pooled maps.',
  'lesson.cnn.next': 'What next',
  'lesson.cnn.mistakes': 'Look at the test digits it still gets wrong →',
  'lesson.cnn.sketch': 'Draw a digit of your own and see how it reads it →',
  'lesson.cnn.afterTraining': 'When it is trained, its mistakes and a sketchpad for your own digits are one click away.',
} as const;

export const lessonKo: Record<keyof typeof lessonEn, string> = {
  'lesson.title': '픽셀에서 CNN까지',
  'lesson.steps': '강의 단계',
  'lesson.seen': '이미 본 단계',
  'lesson.stepOf': '{steps}단계 중 {step}단계',
  'lesson.pages': '강의 페이지',
  'lesson.previous': '이전',
  'lesson.next': '다음',
  'lesson.keys': 'Page Down과 Page Up으로 페이지를 넘깁니다',
  'lesson.reset': '저장된 강의 진도를 읽을 수 없어({reason}) 1단계부터 다시 시작합니다. 예전 파일은 {keptAs}(으)로 남겨 두었습니다.',
  'lesson.inKeras': 'Keras로 쓰면',
  'lesson.openInDesigner': '이 모델을 설계 화면에서 열기 →',
  'lesson.mnist.title': 'MNIST 만나기',
  'lesson.mnist.intro':
    'MNIST는 미국 인구조사국 직원과 학생들이 쓴 손글씨 숫자를 같은 크기로 스캔해 모은 데이터입니다. 노트북에서 몇 분이면 학습할 만큼 작으면서도, 어떤 신경망을 고르느냐가 왜 중요한지 보여 줄 만큼 어렵습니다.',
  'lesson.mnist.total': '모두 {count}장이며, 한 장마다 0부터 9까지의 숫자 하나와 그 레이블이 있습니다.',
  'lesson.mnist.split':
    '그중 {train}장은 학습용이고, {test}장은 테스트용으로 따로 둡니다. 모델은 테스트 숫자로는 배우지 않으므로, 처음 보는 손글씨를 얼마나 잘 읽는지 이것으로 알 수 있습니다.',
  'lesson.mnist.grey': '이미지 한 장은 {side} × {side} 픽셀의 흑백입니다. 픽셀마다 숫자 하나이고 색은 없습니다.',
  'lesson.mnist.first': '첫 번째 학습 이미지입니다. 레이블은 {label}입니다.',
  'lesson.mnist.shape': '이미지 한 장의 모양은',
  'lesson.mnist.browse': '70,000장 모두를 데이터셋 화면에서 레이블, 픽셀 값과 함께 볼 수 있습니다.',
  'lesson.mnist.toDataset': '데이터셋 둘러보기 →',
  'lesson.pixels.title': '숫자로 된 픽셀',
  'lesson.pixels.intro':
    '컴퓨터에게 이 숫자는 784개 수의 격자입니다. 0은 하얀 종이, 255는 가장 진한 잉크이고, 그 사이 값은 펜 자국의 흐린 가장자리입니다. 숫자의 한 줄을 가리키면 그 줄의 값이 보입니다.',
  'lesson.pixels.digit': '첫 번째 학습 숫자, 픽셀 하나가 칸 하나',
  'lesson.pixels.row': '{row}번째 줄, 저장된 그대로 (0–255):',
  'lesson.pixels.normalised': '같은 줄을 255로 나눈 값 (0–1):',
  'lesson.pixels.reshape':
    'Dense 레이어는 격자가 아니라 한 줄로 된 목록을 받으므로, {size}개의 줄을 이어 붙입니다. 28 × 28이 값 {count}개짜리 벡터 하나가 됩니다. r번째 줄 c번째 칸은 r × 28 + c번째 자리로 가고, 이 숫자의 첫 잉크({row}번째 줄, {column}번째 칸)는 {first}번째 값이 됩니다.',
  'lesson.pixels.why':
    '255로 나누면 모든 값이 0과 1 사이에 들어옵니다. 처음 가중치와 학습률은 그 정도 크기의 입력에 맞춰져 있습니다. 값이 수백이면 첫 가중합이 아주 커지고 기울기도 따라 커져서, 학습이 자리를 잡지 못하고 크게 흔들립니다.',
  'lesson.labels.title': '레이블과 원-핫 인코딩',
  'lesson.labels.intro':
    '이미지마다 그 안의 숫자가 함께 들어 있습니다. 신경망은 숫자마다 하나씩 모두 10개의 수로 답하므로, 레이블도 같은 꼴로 씁니다. 열 자리 가운데 정답 자리에만 1, 나머지는 모두 0입니다. 아래는 처음 여덟 개의 학습 레이블입니다.',
  'lesson.labels.label': '레이블',
  'lesson.labels.why':
    '숫자 하나로 쓰면 7이 3보다 "크다"는 뜻이 생기는데, 손글씨 숫자에서는 의미가 없습니다. 원-핫 벡터로 쓰면 모든 숫자가 서로 같은 거리에 있고, 손실 함수가 모델이 내놓은 10개의 확률과 바로 비교할 수 있습니다.',
  'lesson.baseline.title': '첫 신경망: Dense 512',
  'lesson.baseline.intro':
    '첫 모델에는 은닉층이 하나 있습니다. 784개의 픽셀 값 하나하나가 512개의 유닛에 모두 연결되고, 그 유닛들이 다시 10개의 출력에 연결됩니다.',
  'lesson.baseline.params':
    '유닛마다 입력 하나에 가중치 하나, 그리고 편향이 하나 있습니다. 은닉층은 784 × 512 + 512 = 401,920개, 출력층은 512 × 10 + 10 = 5,130개로, 배워야 할 수는 모두 407,050개입니다.',
  'lesson.baseline.relu':
    '값이 양수면 그대로 두고, 아니면 0으로 만듭니다. 계산이 가볍고, 여러 층으로 쌓으면 입력 공간을 거의 어떤 모양으로든 구부릴 수 있습니다.',
  'lesson.baseline.softmax': '10개의 출력을 모두 양수이고 합이 1인 확률로 바꿉니다. 모델이 숫자마다 얼마나 확신하는지를 나타냅니다.',
  'lesson.baseline.loss':
    '손실 함수: 모델이 정답 숫자에 준 확률이 얼마나 작은지(−log p)를 잽니다. 확신하고 맞히면 거의 0이고, 확신하고 틀리면 크게 벌을 받습니다.',
  'lesson.baseline.adam':
    '옵티마이저: 가중치마다 기울기의 반대 방향으로 움직이되, 지금까지의 기울기를 보고 가중치마다 보폭을 스스로 맞춥니다. 기본 학습률 0.001로 여기의 두 모델 모두 잘 학습됩니다.',
  'lesson.callbacks.title': '체크포인트와 조기 종료',
  'lesson.callbacks.intro':
    '학습은 에포크 단위로 진행됩니다. 에포크 하나는 학습 이미지 60,000장을 한 번 다 보는 것입니다. 에포크가 끝날 때마다 테스트 이미지(검증 데이터)로 모델을 재고, 두 도우미가 그 값인 val_loss를 보고 움직입니다.',
  'lesson.callbacks.checkpoint': '체크포인트',
  'lesson.callbacks.checkpointWhy':
    'val_loss가 지금까지 가장 좋을 때마다 모델을 저장합니다. 마지막에 남는 모델은 마지막 에포크가 아니라 가장 좋았던 에포크의 모델입니다.',
  'lesson.callbacks.earlyStopping': '조기 종료',
  'lesson.callbacks.earlyStoppingWhy':
    'val_loss가 {patience}에포크 연속으로 나아지지 않으면 학습을 멈춥니다. 그 뒤로는 숫자 일반이 아니라 학습용 숫자 자체를 외우고 있기 때문입니다.',
  'lesson.callbacks.batch': '이미지 {batch}장마다 가중치를 고칩니다. 에포크 하나에 {steps}번입니다.',
  'lesson.callbacks.epochs': '학습 데이터를 많아야 {epochs}번 돌고, 조기 종료가 멈추면 그보다 적게 돕니다.',
  'lesson.callbacks.inApp': '이 앱은 모든 실행에서 이것을 해 줍니다. 설계 화면에 이 설정들이 있고, 실행마다 가장 좋은 체크포인트가 남습니다.',
  'lesson.train.title': '직접 학습하기',
  'lesson.train.intro':
    '이제 진짜로 해 봅니다. 앞 단계의 설정 그대로 Dense 512 신경망을 이 컴퓨터에서 학습합니다. 전체 과정은 몇 분 걸리고, 빠른 실행은 이미지의 10분의 1로 3에포크만 학습해서 곡선이 움직이는 모습을 보기에 충분합니다.',
  'lesson.train.watch': '주황색 선은 학습 이미지 배치마다의 손실이고, 파란색 선은 에포크마다 테스트 이미지로 잰 손실입니다.',
  'lesson.trainFull': '학습: 전체 과정',
  'lesson.trainQuick.baseline': '빠른 실행 (이미지 6,000장, 3에포크)',
  'lesson.trainQuick.cnn': '빠른 실행 (이미지 6,000장, 2에포크)',
  'lesson.useRun': '실행 기록에서 고르기…',
  'lesson.otherRunTraining': '다른 실행이 학습 중입니다. 그것이 끝나면 시작할 수 있습니다.',
  'lesson.runAt': '{epoch}번째 에포크, 배치 {batches}개 중 {batch}번째',
  'lesson.expected.baseline': '전체 과정으로 학습하면 이 신경망은 약 98.2 %에 이릅니다.',
  'lesson.expected.cnn': '전체 과정으로 학습하면 이 CNN은 약 99.2 %에 이릅니다.',
  'lesson.toTraining': '학습 화면에서 실행 보기 →',
  'lesson.runName.baseline': '강의: Dense 512',
  'lesson.runName.cnn': '강의: CNN',
  'lesson.plot.title': '곡선 읽기',
  'lesson.plot.intro':
    '강의에서는 에포크마다 두 선을 그립니다. 테스트 세트의 손실과, 학습 세트의 오차(1 − 정확도)입니다. 둘 다 0을 향해 줄어들기 때문에 한 그래프에 함께 그릴 수 있습니다.',
  'lesson.plot.validationLoss': '테스트 세트 손실 (val_loss)',
  'lesson.plot.trainingError': '학습 세트 오차 (1 − 정확도)',
  'lesson.plot.read':
    '두 선이 함께 내려가는 동안은 모델이 일반적인 것을 배우고 있습니다. 학습 오차는 계속 줄어드는데 테스트 손실이 멈추거나 오르기 시작하면, 외우기 시작한 것입니다. 조기 종료가 지켜보는 순간이 바로 그때입니다.',
  'lesson.plot.none': '이 그래프를 그리려면 앞 단계에서 기본 신경망을 학습해야 합니다.',
  'lesson.plot.toTrain': '← 6단계에서 학습하기',
  'lesson.ideas.title': 'CNN을 이루는 생각들',
  'lesson.ideas.intro':
    'Dense 신경망은 784개의 수를 한 줄로 보고, 이웃한 픽셀이 서로 관계있다는 것부터 스스로 배워야 합니다. 합성곱 신경망은 그 생각에서 출발합니다. 그 부품들을 첫 번째 학습 숫자로 직접 해 봅니다:',
  'lesson.ideas.kernels': '커널과 특징 맵',
  'lesson.ideas.receptiveField': '수용 영역',
  'lesson.ideas.pooling': '최대 풀링과 평균 풀링',
  'lesson.ideas.dropout': '드롭아웃',
  'lesson.ideas.flatten': '평탄화',
  'lesson.ideas.kernelsText':
    '커널은 작은 가중치 격자로, 여기서는 3 × 3입니다. 커널이 이미지 위를 미끄러지며, 자리마다 그 아래 아홉 픽셀에 가중치를 곱해 더합니다. 그 합들이 모여 새 이미지, 곧 특징 맵이 되고, 커널의 무늬가 있는 곳에서 밝아집니다. Conv2D 레이어는 이런 커널 32개를 받지 않고 스스로 배웁니다. 화살표 키로 한 칸씩 따라가 보세요.',
  'lesson.ideas.receptiveFieldText':
    '특징 맵의 픽셀 하나는 커널 아래에 있던 숫자의 일부분에만 좌우됩니다. 그 부분이 수용 영역입니다. 다음 레이어는 앞 맵들의 창을 보므로, 그 픽셀은 숫자를 더 넓게 봅니다:',
  'lesson.ideas.field': '{layer} 다음: 숫자의 {size} × {size} 픽셀',
  'lesson.ideas.receptiveFieldTry': '설계 화면의 미리보기에서 특징 맵을 가리키면 그 수용 영역이 숫자 위에 표시됩니다.',
  'lesson.ideas.poolingText':
    '풀링은 2 × 2 창마다 값 하나만 남겨 맵을 줄입니다. 가장 큰 값을 남기면 최대 풀링, 평균을 남기면 평균 풀링입니다. 최대 풀링은 특징이 있는지는 지키고 정확한 자리는 잊습니다. 평균 풀링은 또렷한 특징을 이웃과 섞어 흐리게 합니다.',
  'lesson.ideas.dropoutText':
    '학습하는 동안 드롭아웃은 매 단계마다 값의 4분의 1을 무작위로 끄고, 나머지를 키워 합이 그대로 되게 합니다. 어떤 유닛도 특정한 다른 유닛에 기댈 수 없으니, 신경망은 숫자를 알아보는 여러 길을 배웁니다. 예측할 때는 아무것도 끄지 않습니다.',
  'lesson.ideas.flattenText':
    '마지막에는 맵을 줄 순서대로 벡터 하나에 늘어놓아 Dense 레이어가 읽을 수 있게 합니다. 이 {height} × {width} 맵은 값 {count}개가 됩니다. 픽셀을 가리키면 그 자리가 보입니다.',
  'lesson.ideas.inDesigner': '설계 화면에서 CNN의 레이어를 하나씩 따라가 보기 →',
  'lesson.cnn.title': 'CNN',
  'lesson.cnn.intro':
    '강의의 CNN은 이 생각들을 차례로 늘어놓습니다. 합성곱 두 개, 최대 풀링과 드롭아웃, 그다음 평탄화와 Dense 레이어 두 개입니다. 가중치는 대부분 첫 Dense 레이어에 있는데, 풀링한 맵의 값 9,216개를 모두 읽기 때문입니다.',
  'lesson.cnn.next': '다음에 할 일',
  'lesson.cnn.mistakes': '아직 틀리는 테스트 숫자 살펴보기 →',
  'lesson.cnn.sketch': '직접 숫자를 그려서 어떻게 읽는지 보기 →',
  'lesson.cnn.afterTraining': '학습이 끝나면 틀린 숫자와, 직접 그린 숫자를 읽히는 손글씨 화면으로 바로 갈 수 있습니다.',
};
