import type { SweepReasonKey } from '../../../../shared/sweeps/sweepProblems';

/** Why a sweep cannot start, in Korean; the English is shared/sweeps/sweepProblems.ts' own wording. */
export const sweepProblemsKo: Record<`sweepProblem.${SweepReasonKey}`, string> = {
  'sweepProblem.repeated': '{setting}을(를) 두 번 바꿉니다. 설정마다 한 번만 적으세요',
  'sweepProblem.noValues': '{setting}: 값을 하나 이상 적으세요',
  'sweepProblem.notChoice': '{setting}은(는) {choices} 중 하나입니다. {value}은(는) 쓸 수 없습니다',
  'sweepProblem.notNumber': '{setting}에는 숫자를 씁니다. {value}은(는) 숫자가 아닙니다',
  'sweepProblem.notWhole': '{setting}에는 정수를 씁니다. {value}은(는) 정수가 아닙니다',
  'sweepProblem.outside': '{setting} {value}은(는) {min}–{max} 범위를 벗어납니다',
  'sweepProblem.choiceNotRange': '{setting}은(는) 범위가 아니라 선택지 목록에서 뽑습니다',
  'sweepProblem.needsRange': '{setting}에는 범위(최솟값과 최댓값)나 선택지 목록이 필요합니다',
  'sweepProblem.minAboveMax': '{setting}: 최솟값 {min}이(가) 최댓값 {max}보다 큽니다',
  'sweepProblem.logRange': '{setting}: 로그 범위는 0보다 큰 값에서 시작해야 합니다',
  'sweepProblem.noLayer': '{setting}: 디자인에 바꿀 {layer} 레이어가 없습니다',
  'sweepProblem.noRandomAxis': '무작위 표본에는 설정이 하나 이상 필요합니다',
  'sweepProblem.overBudget': '이 스윕은 실행 {count}개를 학습하게 되어, 한도 {max}개를 넘습니다',
  'sweepProblem.maxRunsField': '최대 실행 수는 1부터 {max}까지의 정수여야 합니다',
  'sweepProblem.drawsField': '무작위 추출 횟수는 1부터 {max}까지의 정수여야 합니다',
  'sweepProblem.maxMinutesField': '시간 한도는 0보다 크고 {max} 이하인 분 수이거나, 한도가 없으면 비워 둡니다',
  'sweepProblem.invalidRun': '실행 {position} ({name})은(는) 올바른 실행이 아닙니다: {detail}',
  'sweepProblem.unbuilt': '실행 {position} ({name})은(는) 만들어지지 않습니다: {detail}',
};
