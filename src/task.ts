/** The learning task a model solves; decides objectives, metrics and the shape of predictions. */
export type Task = 'regression' | 'binary' | 'multiclass'
