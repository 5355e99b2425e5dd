import type { DesignReasonKey } from '../../../../shared/layers/designProblems';

/** The designer's problems in Korean; the English is shared/layers/designProblems.ts' own wording. */
export const designProblemsKo: Record<`design.${DesignReasonKey}`, string> = {
  'design.inputFirst': '입력은 맨 앞에만 올 수 있습니다',
  'design.firstMustBeInput': '첫 레이어는 28×28×1 입력이어야 합니다',
  'design.needsImage': '{layer}에는 이미지 모양의 입력이 필요한데, {producer}이(가) {shape}을(를) 내놓았습니다',
  'design.windowTooLarge':
    "{layer}의 {kernel}×{kernel} 창이 {producer}이(가) 내놓은 {height}×{width} 이미지에 맞지 않습니다. 'same' 패딩을 쓰거나 창을 줄이세요",
  'design.needsVector': 'Dense에는 벡터가 필요한데, {producer}이(가) {shape}을(를) 내놓았습니다. 앞에 Flatten을 넣으세요',
  'design.outputCount': '마지막 레이어는 숫자 {classes}개에 맞춰 값 {classes}개를 내야 합니다. Dense {classes}, softmax로 끝내세요',
  'design.outputSoftmax': '마지막 레이어는 값 {classes}개를 확률로 바꿔야 합니다. softmax 활성화를 주세요',
  'design.softmaxMisplaced': 'softmax는 마지막 레이어에만 씁니다. 여기에는 relu(또는 다른 활성화)를 쓰세요',
  'design.tooManyParams': '모델의 파라미터가 {params}개입니다. MNIST Lab은 {max}개까지 학습합니다. 유닛이나 필터를 줄이세요',
  'design.tooManyActivations': '배치 {batch}개가 활성값 {activations}개를 만듭니다. MNIST Lab은 {max}개까지 허용합니다. 배치 크기를 낮추거나 필터를 줄이세요',
  'design.producer.input': '입력',
  'design.producer.layer': '앞의 {layer}',
  'design.shape.image': '{shape} 이미지',
  'design.shape.vector': '길이 {shape}의 벡터',
};
