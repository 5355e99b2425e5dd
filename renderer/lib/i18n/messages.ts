/** The languages the app speaks: English, and Korean for the seed tutorial's readers. */
export const languages = ['en', 'ko'] as const;
export type Language = (typeof languages)[number];
export const languageNames: Record<Language, string> = { en: 'English', ko: '한국어' };

const en = {
  'designer.palette': 'Layers',
  'designer.paletteHint': 'Drag a layer into the stack, or press Enter on it to add it after the selected layer.',
  'designer.stack': 'Model',
  'designer.layer': 'Layer',
  'designer.summary': 'Summary',
  'designer.settings': 'Training',
  'designer.preset': 'Start from',
  'designer.name': 'Name',
  'designer.undo': 'Undo',
  'designer.redo': 'Redo',
  'designer.save': 'Save…',
  'designer.open': 'Open…',
  'designer.code': 'Show code',
  'designer.train': 'Train',
  'designer.invalid': 'Fix the marked layer to train this model.',
  'designer.selectLayer': 'Select a layer to edit its settings.',
  'designer.inputLayer': 'The input: one 28×28 grey image with one channel. Every model starts here.',
  'designer.keys': 'Keys: ↑↓ select · Alt+↑↓ move · Delete remove · Ctrl+D duplicate · Ctrl+Z undo · Ctrl+Shift+Z redo',
  'layer.conv2d':
    'A convolution slides small kernels (e.g. 3×3) over the image; each kernel makes one feature map that lights up where its pattern appears. Stacked convolutions see larger regions: their receptive field grows by kernel − 1 pixels per layer.',
  'layer.maxPooling2d':
    'Max pooling keeps the largest value of each window (e.g. 2×2), halving the map: it keeps "is the feature here?" and forgets exactly where.',
  'layer.averagePooling2d': 'Average pooling keeps the mean of each window: smoother than max pooling, and it dilutes a strong feature found in one spot.',
  'layer.dropout':
    'Dropout switches off a random share of values (the rate) at each training step, so the network cannot rely on any one of them; it does nothing when predicting.',
  'layer.flatten': 'Flatten lays the feature maps out in one long vector (12×12×64 → 9,216), so Dense layers can take them.',
  'layer.dense': "A dense layer connects every input to every unit: units × (inputs + 1) parameters, usually where most of a model's weights are.",
  'layer.batchNormalization':
    'Batch normalisation rescales each channel to mean 0 and variance 1 over the batch, then learns a scale and shift: training gets faster and steadier.',
  'layer.activation': 'An activation applies a function to every value: relu keeps positives, softmax turns 10 values into probabilities.',
} as const;

export type MessageKey = keyof typeof en;

const ko: Record<MessageKey, string> = {
  'designer.palette': '레이어',
  'designer.paletteHint': '레이어를 모델로 끌어 놓거나, 선택한 레이어 뒤에 추가하려면 Enter를 누르세요.',
  'designer.stack': '모델',
  'designer.layer': '레이어',
  'designer.summary': '요약',
  'designer.settings': '학습',
  'designer.preset': '시작 모델',
  'designer.name': '이름',
  'designer.undo': '실행 취소',
  'designer.redo': '다시 실행',
  'designer.save': '저장…',
  'designer.open': '열기…',
  'designer.code': '코드 보기',
  'designer.train': '학습',
  'designer.invalid': '표시된 레이어를 고쳐야 이 모델을 학습할 수 있습니다.',
  'designer.selectLayer': '설정을 바꾸려면 레이어를 선택하세요.',
  'designer.inputLayer': '입력: 채널이 하나인 28×28 흑백 이미지 한 장. 모든 모델은 여기서 시작합니다.',
  'designer.keys': '키: ↑↓ 선택 · Alt+↑↓ 이동 · Delete 삭제 · Ctrl+D 복제 · Ctrl+Z 실행 취소 · Ctrl+Shift+Z 다시 실행',
  'layer.conv2d':
    '합성곱은 작은 커널(예: 3×3)을 이미지 위로 밀며 계산합니다. 커널마다 하나의 특징 맵이 만들어지고, 그 무늬가 있는 곳에서 값이 커집니다. 합성곱을 쌓을수록 더 넓은 영역을 보게 되어, 수용 영역(receptive field)이 층마다 커널 − 1 픽셀씩 넓어집니다.',
  'layer.maxPooling2d': '맥스 풀링은 각 창(예: 2×2)에서 가장 큰 값만 남겨 맵을 절반으로 줄입니다. "특징이 여기 있는가"는 남기고 정확한 위치는 잊습니다.',
  'layer.averagePooling2d': '평균 풀링은 각 창의 평균을 남깁니다. 맥스 풀링보다 부드럽지만, 한 곳에서 강하게 나타난 특징은 흐려집니다.',
  'layer.dropout': '드롭아웃은 학습 단계마다 값의 일부(비율)를 무작위로 꺼서, 신경망이 어느 하나에 기대지 못하게 합니다. 예측할 때는 아무 일도 하지 않습니다.',
  'layer.flatten': '플래튼은 특징 맵을 하나의 긴 벡터로 펼칩니다(12×12×64 → 9,216). 그래야 Dense 층이 받을 수 있습니다.',
  'layer.dense': 'Dense 층은 모든 입력을 모든 유닛에 연결합니다. 매개변수는 유닛 × (입력 + 1)개로, 보통 모델 가중치의 대부분이 여기에 있습니다.',
  'layer.batchNormalization': '배치 정규화는 배치 안에서 채널마다 평균 0, 분산 1로 맞춘 뒤 크기와 이동을 학습합니다. 학습이 빠르고 안정적이 됩니다.',
  'layer.activation': '활성화 함수는 모든 값에 함수를 적용합니다. relu는 양수만 남기고, softmax는 10개의 값을 확률로 바꿉니다.',
};

const catalogue: Record<Language, Record<MessageKey, string>> = { en, ko };

/** A message in a language (English when a translation is missing). */
export function translate(language: Language, key: MessageKey): string {
  return catalogue[language][key] ?? en[key];
}

/** The language the operating system (the browser's language list) prefers, of those the app speaks. */
export function preferredLanguage(systemLanguages: readonly string[]): Language {
  for (const tag of systemLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if ((languages as readonly string[]).includes(base ?? '')) return base as Language;
  }
  return 'en';
}
